import ArgumentParser
import TensorCore

struct BenchTensorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tensor", abstract: "Matmul GFLOP/s and a transformer block's forward+backward time.")
  func run() throws { print("TODO") }
}
