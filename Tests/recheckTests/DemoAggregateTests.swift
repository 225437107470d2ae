import Evaluation
import Foundation
import Testing

@testable import recheck

/// Multi-seed aggregation of the demo's tables: means, intervals, per-seed values and the JSON
/// layout `--json` / tables.json promise (decoded back, keys checked by name).
struct DemoAggregateTests {
  /// Two seeds, hand-built: `base` answers every problem right in both turns on both seeds; `score`
  /// fixes every problem on seed 1 (Δ = 1) and changes nothing on seed 2 (Δ = 0), so the mean Δ is
  /// 0.5 and every resample gives (1 + 0)/2; S²R's `s2r_bi` goes 0 → 1 on seed 1 and 1 → 1 on
  /// seed 2. Verification: seed 1 accepts 1/1 right, rejects 1/1 wrong (a + r = 2); seed 2 accepts
  /// 1/2 right, rejects 1/1 wrong (a + r = 1.5).
  static func runs() -> [DemoSeedResult] {
    func score(_ rows: [[Bool]]) -> ScoreRow {
      let t = try! SCoReMetrics.transition(rows)
      return ScoreRow(
        acc_t1: try! SCoReMetrics.accuracy(rows, turn: 1), acc_t2: try! SCoReMetrics.accuracy(rows, turn: 2),
        delta: t.delta, delta_i2c: t.incorrectToCorrect, delta_c2i: t.correctToIncorrect, edit_near0: 0.5)
    }
    func record(_ first: Bool, _ final: Bool) -> S2RProblemRecord {
      S2RProblemRecord(
        attemptsCorrect: first == final ? [first] : [first, final],
        verdicts: first == final ? [.correct] : [.incorrect, .correct], finalCorrect: final)
    }
    let allRight = [[Bool]](repeating: [true, true], count: 4)
    let fixed = [[Bool]](repeating: [false, true], count: 3)
    let kept = [[Bool]](repeating: [true, true], count: 3)
    let s2r1 = [record(false, true), record(false, true)]
    let s2r2 = [record(true, true), record(true, true), record(true, true)]
    func s2rRow(_ r: [S2RProblemRecord]) -> S2RRow {
      S2RRow(
        first_acc: S2RMetrics.firstAttemptAccuracy(r)!, final_acc: S2RMetrics.finalAccuracy(r)!,
        verification_acc: S2RMetrics.verificationAccuracy(r)!, avg_attempts: S2RMetrics.averageAttempts(r)!)
    }
    let seed1 = DemoSeedResult(
      seed: 1,
      tables: DemoTables(
        score: ["base": score(allRight), "score": score(fixed)], s2r: ["s2r_bi": s2rRow(s2r1)], seconds: 10),
      turns: ["base": allRight, "score": fixed], records: ["s2r_bi": s2r1],
      checked: [
        "base_attempts": [
          .init(correct: true, verdict: .correct), .init(correct: false, verdict: .incorrect),
        ]
      ],
      scoreOrder: ["base", "score"], s2rOrder: ["s2r_bi"])
    let seed2 = DemoSeedResult(
      seed: 2,
      tables: DemoTables(
        score: ["base": score(allRight), "score": score(kept)], s2r: ["s2r_bi": s2rRow(s2r2)], seconds: 20),
      turns: ["base": allRight, "score": kept], records: ["s2r_bi": s2r2],
      checked: [
        "base_attempts": [
          .init(correct: true, verdict: .incorrect), .init(correct: false, verdict: .incorrect),
          .init(correct: true, verdict: .correct),
        ]
      ],
      scoreOrder: ["base", "score"], s2rOrder: ["s2r_bi"])
    return [seed1, seed2]
  }

  @Test func meansIntervalsAndPerSeedValues() throws {
    let t = DemoAggregate.combine(Self.runs())
    #expect(t.seeds == [1, 2])
    #expect(t.seconds == 30)
    let base = try #require(t.score["base"])
    #expect(base.acc_t1 == 1 && base.delta == 0 && base.edit_near0 == 0.5)
    #expect(base.ci?["acc_t1"] == [1, 1] && base.ci?["delta"] == [0, 0])
    let score = try #require(t.score["score"])
    #expect(score.delta == 0.5 && score.acc_t1 == 0.5 && score.acc_t2 == 1)
    #expect(score.ci?["delta"] == [0.5, 0.5] && score.ci?["delta_i2c"] == [0.5, 0.5])
    #expect(score.per_seed?["1"]?.delta == 1 && score.per_seed?["2"]?.delta == 0)
    let bi = try #require(t.s2r["s2r_bi"])
    #expect(bi.first_acc == 0.5 && bi.final_acc == 1 && bi.final_minus_first == 0.5)
    #expect(bi.ci?["final_minus_first"] == [0.5, 0.5] && bi.ci?["final_acc"] == [1, 1])
    #expect(bi.per_seed?["1"]?.final_minus_first == 1 && bi.per_seed?["2"]?.final_minus_first == 0)
    let v = try #require(t.verification?["base_attempts"])
    #expect(v.a == 0.75 && v.r == 1 && v.a_plus_r == 1.75)
    let counts: [Int] = [v.right, v.wrong, v.accepted, v.rejected, v.undetermined]
    #expect(counts == [3, 2, 2, 2, 0])
    #expect(v.per_seed?["2"]?.a == 0.5)
    // a's resamples: seed 1 has no right attempt w.p. 1/4 (left out), seed 2 only rejects its right
    // ones w.p. (2/3)³ − (1/3)³ = 7/27, so the mean is 0 w.p. ≥ 7/108 > 2.5 %; and it is 1 w.p.
    // ≥ 3/4 · (2/3)³ > 2.5 % → [0, 1].
    #expect(v.ci?["a"] == [0, 1])
  }

  @Test func oneSeedHasIntervalsButNoPerSeedColumns() throws {
    let t = DemoAggregate.combine([Self.runs()[0]])
    #expect(t.seeds == [1])
    #expect(t.score["score"]?.per_seed == nil)
    #expect(t.score["score"]?.ci?["delta"] == [1, 1])
    #expect(t.score["score"]?.delta == 1)
  }

  @Test func jsonLayoutIsTheDocumentedOne() throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.sortedKeys]
    let data = try enc.encode(DemoAggregate.combine(Self.runs()))
    let o = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(o.keys).isSuperset(of: ["score", "s2r", "seconds", "seeds", "verification"]))
    #expect(o["seeds"] as? [Int] == [1, 2])
    let score = try #require(o["score"] as? [String: [String: Any]])
    let row = try #require(score["score"])
    for k in ["acc_t1", "acc_t2", "delta", "delta_i2c", "delta_c2i"] { #expect(row[k] is Double) }
    let ci = try #require(row["ci"] as? [String: [Double]])
    #expect(Set(ci.keys) == ["acc_t1", "acc_t2", "delta", "delta_i2c", "delta_c2i"])
    #expect(ci["delta"] == [0.5, 0.5])
    let perSeed = try #require(row["per_seed"] as? [String: [String: Any]])
    #expect(perSeed["1"]?["delta"] as? Double == 1)
    let s2r = try #require((o["s2r"] as? [String: [String: Any]])?["s2r_bi"])
    #expect(
      Set((s2r["ci"] as? [String: [Double]])?.keys ?? [:].keys) == [
        "final_minus_first", "first_acc", "final_acc",
      ])
    let v = try #require((o["verification"] as? [String: [String: Any]])?["base_attempts"])
    #expect(v["a"] as? Double == 0.75 && v["right"] as? Int == 3)
    // And the whole document decodes back into the same tables.
    #expect(try JSONDecoder().decode(DemoTables.self, from: data) == DemoAggregate.combine(Self.runs()))
  }

  @Test func bootstrapSeedDependsOnTheSeedList() {
    #expect(DemoAggregate.bootstrapSeed([1, 2]) == DemoAggregate.bootstrapSeed([1, 2]))
    #expect(DemoAggregate.bootstrapSeed([1, 2]) != DemoAggregate.bootstrapSeed([2, 1]))
    #expect(DemoAggregate.bootstrapSeed([1]) != DemoAggregate.bootstrapSeed([2]))
  }

  @Test func printedTablesShowMeansIntervalsAndEverySeed() {
    let runs = Self.runs()
    let text = DemoTablePrinter.render(
      DemoAggregate.combine(runs), scoreOrder: runs[0].scoreOrder, s2rOrder: runs[0].s2rOrder)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[0].contains("mean of seeds 1, 2"))
    #expect(lines[1].hasSuffix("Δ per seed"))
    let score = lines.first { $0.hasPrefix("score ") }!
    #expect(score.contains("50.0") && score.contains("[+50.0, +50.0]") && score.hasSuffix("+100.0 +0.0"))
    let bi = lines.first { $0.hasPrefix("s2r_bi ") }!
    #expect(bi.contains("+50.0  ") && bi.contains("[+50.0, +50.0]") && bi.hasSuffix("+100.0 +0.0"))
    let v = lines.first { $0.hasPrefix("s2r: BI verifying the base") }!
    #expect(v.contains("a = 0.75 [") && v.contains("(accepts 2/3 right over 2 seeds)"))
    #expect(v.contains("a + r = 1.75") && v.contains("(> 1: a retry is expected to pay)"))
  }
}

struct DemoSeedsOptionTests {
  @Test func seedsParseAndDefault() throws {
    #expect(try DemoCommand.seedList(seed: nil, seeds: nil) == [1])
    #expect(try DemoCommand.seedList(seed: 7, seeds: nil) == [7])
    #expect(try DemoCommand.seedList(seed: nil, seeds: "1,2, 3") == [1, 2, 3])
    #expect(throws: (any Error).self) { try DemoCommand.seedList(seed: 1, seeds: "2") }
    #expect(throws: (any Error).self) { try DemoCommand.seedList(seed: nil, seeds: "1,1") }
    #expect(throws: (any Error).self) { try DemoCommand.seedList(seed: nil, seeds: "1,,2") }
    #expect(throws: (any Error).self) { try DemoCommand.seedList(seed: nil, seeds: "a") }
  }

  @Test func parsedCommandAcceptsSeedsAndPortableKernels() throws {
    let c = try DemoCommand.parse(["--seeds", "1,2", "--portable-kernels", "--quick"])
    #expect(c.kernels.portableKernels)
    #expect(throws: (any Error).self) { try DemoCommand.parse(["--seeds", "1", "--seed", "2"]) }
  }
}
