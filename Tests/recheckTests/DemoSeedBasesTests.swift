import Foundation
import XCTest

@testable import recheck

/// `--seeds`' bases side by side: how many children run at once and on how many threads, and the
/// child's flag. (That a base trained by a child of one thread is byte-identical to one trained in
/// a single run on two is checked end to end by Scripts/demo-smoke.sh.)
final class DemoSeedBasesTests: XCTestCase {
  func testWidthSharesTheThreads() {
    // Three seeds on 2 cores: all three at once, one thread each (the cores stay busy).
    XCTAssertTrue(DemoSeedBases.width(jobs: 3, allThreads: 2) == (3, 1))
    // Five on 2: four at once (2 × threads), then the fifth.
    XCTAssertTrue(DemoSeedBases.width(jobs: 5, allThreads: 2) == (4, 1))
    // Two on 8: each child gets four threads.
    XCTAssertTrue(DemoSeedBases.width(jobs: 2, allThreads: 8) == (2, 4))
    XCTAssertTrue(DemoSeedBases.width(jobs: 3, allThreads: 8) == (3, 2))
    XCTAssertTrue(DemoSeedBases.width(jobs: 1, allThreads: 1) == (1, 1))
  }

  func testBaseLaneFlagNeedsAConfig() throws {
    XCTAssertEqual(try DemoCommand.parse(["--lane", "base", "--config", "c.json"]).lane, "base")
    XCTAssertThrowsError(try DemoCommand.parse(["--lane", "base"]), "the child reads its seed's config")
  }
}
