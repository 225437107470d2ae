import ArgumentParser
import Datasets
import Foundation
import Models
import Training

extension S2RDatasetBaseline.Key: ExpressibleByArgument {}

/// The offline-RL options of `recheck s2r rl --offline DATA.jsonl` (spec §5; `recheck s2r sample`
/// writes DATA.jsonl). `--level`, `--lr`, `--kl`, `--clip` and `--seed` are shared with online RL.
struct S2ROfflineOptions: ParsableArguments {
  @Option(help: "Offline RL from sampled responses (`recheck s2r sample`) instead of online sampling.")
  var offline: String?
  @Option(help: "Offline: passes over the kept trajectories.") var epochs = 1
  @Option(help: "Offline: trajectories per optimiser step.") var batch = 16
  @Option(help: "Offline: warm-up steps.") var warmup = 5
  @Option(help: "Offline: lowest problem accuracy kept.") var bandLow = 0.1
  @Option(help: "Offline: highest problem accuracy kept.") var bandHigh = 0.7
  @Option(
    help: "Offline baseline key: \(S2RDatasetBaseline.Key.allCases.map(\.rawValue).joined(separator: ", ")).")
  var baseline: S2RDatasetBaseline.Key = .accuracyPosition
  @Option(help: "Offline: members a baseline group needs (else baseline 0).") var baselineMinCount = 10
  @Flag(help: "Offline: keep every negative (no balancing against the positives).") var noBalance = false
  @Flag(help: "Offline: no ×2 bonuses (flipped attempt, verified right attempt).") var noBonus = false

  func validate() throws {
    guard epochs > 0, batch > 0, warmup >= 0, baselineMinCount > 0 else {
      throw ValidationError("--epochs, --batch, --baseline-min-count must be positive and --warmup ≥ 0")
    }
    guard 0 <= bandLow, bandLow <= bandHigh, bandHigh <= 1 else {
      throw ValidationError("need 0 ≤ --band-low ≤ --band-high ≤ 1")
    }
  }

  var dataOptions: S2ROfflineDataOptions {
    S2ROfflineDataOptions(
      accuracyBand: bandLow...bandHigh, balanceNegatives: !noBalance, baselineKey: baseline,
      baselineMinCount: baselineMinCount, bonuses: !noBonus)
  }
}

/// Saved as RUN_DIR/config.json of an offline run.
struct S2ROfflineRunConfig: Codable {
  var model: String
  var offline: String
  var data: S2ROfflineDataOptions
  var stats: S2ROfflineData.Stats
  var rl: S2ROfflineRLConfig
}

extension S2RRLCommand {
  /// Offline RL: select and reward the sampled trajectories, train against the frozen start model
  /// (the behaviour policy), write config.json, metrics.jsonl, RUN_DIR/checkpoint every
  /// `--checkpoint-every N` steps (a rerun resumes from it) and RUN_DIR/model.
  func runOffline(_ path: String) throws {
    let records = try JSONLReader.read(S2ROfflineRecord.self, from: URL(fileURLWithPath: path))
    guard !records.isEmpty else { throw ValidationError("\(path): no records") }
    let start = try TrainingModel.load(model, synthetic: true)
    let options = offlineOptions.dataOptions
    let (samples, stats) = S2ROfflineData.prepare(
      records, tokenizer: start.tokenizer, options: options, seed: seed, layout: S2RSupport.layout(start))
    Progress.say(
      "s2r rl --offline: \(stats.problemsInBand)/\(stats.problems) problems in the accuracy band, "
        + "\(stats.positives) positives, \(stats.negatives) negatives (\(stats.negativesDropped) balanced "
        + "away), \(stats.rejected) rejected")
    guard !samples.isEmpty else {
      throw ValidationError("\(path): no trajectory survived the filters (widen --band-low/--band-high?)")
    }
    let config = S2ROfflineRLConfig(
      level: level, epochs: offlineOptions.epochs, batchSize: offlineOptions.batch, learningRate: lr,
      warmupSteps: offlineOptions.warmup, klCoefficient: kl, clipEpsilon: clip, seed: seed)
    let dir = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try AtomicFileWriter.writeJSON(
      S2ROfflineRunConfig(model: model, offline: path, data: options, stats: stats, rl: config),
      to: dir.appendingPathComponent("config.json"))
    // π_ref's log-probs are computed once, in the trainer's init, before any update; the start
    // model is then trained in place rather than held as a second full copy for the whole run.
    let trainer = S2ROfflineRLTrainer(
      policy: start.model, reference: start.model, samples: samples, config: config)
    let (log, checkpointURL) = try S2RSupport.resumeIfCheckpointed(dir, command: "s2r rl --offline") { url in
      try trainer.resume(from: url)
      return trainer.step
    }
    let (tokenizerFile, files) = try start.checkpointFiles()
    try trainer.train(
      checkpointEvery: checkpointEvery,
      onStep: { r in
        try log.append(r.values.merging(["step": Double(r.step)]) { a, _ in a })
        let v = r.values
        Progress.say(
          String(
            format: "offline step %d/%d  loss %+.4f  clip %.2f  positives %.2f  (%.1fs)", r.step,
            trainer.totalSteps, v["loss"] ?? 0, v["clip_fraction"] ?? 0, v["positives"] ?? 0,
            v["seconds"] ?? 0))
      },
      onCheckpoint: { _ in try trainer.checkpoint(to: checkpointURL, tokenizer: tokenizerFile, files: files) }
    )
    try start.save(trainer.policy, to: dir.appendingPathComponent("model"))
    print("saved \(dir.appendingPathComponent("model").path) after \(trainer.step) offline steps")
  }
}
