import ArgumentParser
import Foundation
import Models

/// `recheck bench gguf`: how long opening a GGUF file takes (mmap + metadata + tensor infos) and how
/// fast every tensor dequantises to Float, next to gguf-py (numpy) measured in the same run by
/// Scripts/bench-gguf-peer.py.
struct BenchGGUFCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gguf", abstract: "GGUF open time and dequantisation throughput, next to gguf-py.")

  @Option(help: "GGUF file (default: the SmolLM2 file cached by Scripts/fetch-smollm2.sh).")
  var model: String?

  @Option(
    help:
      "Python interpreter with gguf and numpy for the peer (default: ~/.cache/recheck/venv-gguf/bin/python).")
  var python: String?

  @Option(help: "Repetitions; the best time is reported.")
  var runs: Int = 3

  @Flag(help: "Skip the gguf-py peer measurement.")
  var noPeer = false

  func run() throws {
    let cache = BenchClock.cacheDirectory
    let path = model ?? cache + "/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    guard FileManager.default.fileExists(atPath: path) else {
      throw ValidationError("\(path) does not exist; run `bash Scripts/fetch-smollm2.sh` or pass --model")
    }
    var bestOpen = Double.infinity
    var bestDequant = Double.infinity
    var storedBytes = 0
    var values = 0
    for _ in 0..<max(1, runs) {
      var start = Date()
      let file = try GGUFFile(url: URL(fileURLWithPath: path))
      bestOpen = min(bestOpen, Date().timeIntervalSince(start))
      storedBytes = 0
      values = 0
      start = Date()
      for info in file.tensorInfos {
        let tensor = try file.dequantize(named: info.name)
        storedBytes += info.byteCount ?? 0
        values += tensor.count
      }
      bestDequant = min(bestDequant, Date().timeIntervalSince(start))
    }
    print(
      "file: \(path) (\(String(format: "%.1f", Double(storedBytes) / 1e6)) MB of tensor data, \(values) values)"
    )
    let peer = noPeer ? nil : runPeer(path: path, python: python ?? cache + "/venv-gguf/bin/python")
    report(
      "open (mmap + metadata + tensor infos)", mine: bestOpen * 1000, peer: peer?.open.map { $0 * 1000 },
      unit: "ms", lowerIsBetter: true)
    report(
      "dequantise all tensors", mine: Double(storedBytes) / 1e6 / bestDequant,
      peer: peer?.dequant.map { Double(storedBytes) / 1e6 / $0 }, unit: "MB/s stored", lowerIsBetter: false)
    report(
      "dequantise all tensors", mine: Double(values) / 1e6 / bestDequant,
      peer: peer?.dequant.map { Double(values) / 1e6 / $0 }, unit: "M values/s", lowerIsBetter: false)
    if let name = peer?.name { print("peer: \(name)") }
  }

  private func report(_ what: String, mine: Double, peer: Double?, unit: String, lowerIsBetter: Bool) {
    let label = what.padding(toLength: 40, withPad: " ", startingAt: 0)
    var line = label + String(format: "Recheck %9.1f ", mine) + unit
    if let peer {
      let ratio = lowerIsBetter ? peer / mine : mine / peer
      line += String(format: "   gguf-py %9.1f ", peer) + unit
      line +=
        ratio >= 1
        ? String(format: "   Recheck %.1f× faster", ratio)
        : String(format: "   Recheck %.1f× slower", 1 / ratio)
    } else {
      line += "   gguf-py: unavailable"
    }
    print(line)
  }

  /// Runs Scripts/bench-gguf-peer.py; nil fields (with a note on stderr) when it cannot run.
  private func runPeer(path: String, python: String) -> (open: Double?, dequant: Double?, name: String)? {
    let script = "Scripts/bench-gguf-peer.py"
    guard FileManager.default.fileExists(atPath: python), FileManager.default.fileExists(atPath: script)
    else {
      FileHandle.standardError.write(
        Data("peer skipped: need \(python) (pip install gguf numpy) and ./\(script)\n".utf8))
      return nil
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script, path, "1"]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch {
      FileHandle.standardError.write(Data("peer failed to start: \(error)\n".utf8))
      return nil
    }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
      let json = (try? JSONSerialization.jsonObject(with: output)) as? [String: Any]
    else {
      FileHandle.standardError.write(Data("peer failed (status \(process.terminationStatus))\n".utf8))
      return nil
    }
    return (
      (json["open_s"] as? NSNumber)?.doubleValue, (json["dequant_s"] as? NSNumber)?.doubleValue,
      json["implementation"] as? String ?? "gguf-py"
    )
  }
}
