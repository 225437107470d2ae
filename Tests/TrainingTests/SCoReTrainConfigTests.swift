import Foundation
import XCTest

@testable import Training

/// `SCoReTrainConfig`'s JSON: configs written before `secondAttemptsPerFirst` existed still load
/// (as 1), and a config with 1 encodes without the key, so the demo's stage fingerprints
/// (`DemoStageCache`, a hash of this encoding) of unbranched stages do not change.
final class SCoReTrainConfigTests: XCTestCase {
  func testSecondAttemptsPerFirstIsOptionalInJSON() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let plain = SCoReTrainConfig(stage: .stageII, samplesPerProblem: 2)
    let json = String(decoding: try encoder.encode(plain), as: UTF8.self)
    XCTAssertFalse(json.contains("secondAttemptsPerFirst"))
    XCTAssertTrue(json.contains("\"samplesPerProblem\":2"))
    XCTAssertEqual(try JSONDecoder().decode(SCoReTrainConfig.self, from: Data(json.utf8)), plain)

    var branched = plain
    branched.secondAttemptsPerFirst = 3
    let data = try encoder.encode(branched)
    XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"secondAttemptsPerFirst\":3"))
    XCTAssertEqual(try JSONDecoder().decode(SCoReTrainConfig.self, from: data), branched)

    // Every other key is still required.
    let missing = json.replacingOccurrences(of: "\"samplesPerProblem\":2,", with: "")
    XCTAssertThrowsError(try JSONDecoder().decode(SCoReTrainConfig.self, from: Data(missing.utf8)))
  }

  func testStageIRelativeReturnIsOptionalInJSON() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    let plain = SCoReTrainConfig(stage: .stageI(subStage: 1))
    let json = String(decoding: try encoder.encode(plain), as: UTF8.self)
    XCTAssertFalse(json.contains("stageIRelativeReturn"))
    XCTAssertFalse(
      try JSONDecoder().decode(SCoReTrainConfig.self, from: Data(json.utf8)).stageIRelativeReturn)
    var relative = plain
    relative.stageIRelativeReturn = true
    let data = try encoder.encode(relative)
    XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"stageIRelativeReturn\":true"))
    XCTAssertEqual(try JSONDecoder().decode(SCoReTrainConfig.self, from: data), relative)
  }
}
