import NN
import TensorCore
import TestSupport
import XCTest

final class LayersTests: XCTestCase {
  func testLinearGradientAndNames() {
    var rng = SeededRNG(seed: 1)
    let lin = Linear(4, 3, bias: true, init: .normal(std: 0.5), dtype: .float64, rng: &rng)
    XCTAssertEqual(lin.namedParameters(prefix: "q_proj").map(\.name), ["q_proj.weight", "q_proj.bias"])
    let x = GradCheck.input([2, 5, 4], rng: &rng)
    let (ok, r) = GradCheck.check([x, lin.weight, lin.bias!]) { _ in lin(x) }
    XCTAssertTrue(ok, "\(r)")
    // Hand-computed: W = [[1, 2]], b = [3], x = [1, 1] → 6.
    let small = Linear(2, 1, bias: true, rng: &rng)
    small.weight.assign(Tensor([1, 2], shape: [1, 2]))
    small.bias!.assign(Tensor([3], shape: [1]))
    XCTAssertEqual(small(Tensor([1, 1], shape: [1, 2])).toArray(), [6])
  }

  func testEmbeddingAndRMSNormGradients() {
    var rng = SeededRNG(seed: 2)
    let emb = Embedding(6, 3, std: 1, dtype: .float64, rng: &rng)
    XCTAssertTrue(GradCheck.check([emb.weight]) { _ in emb([1, 5, 1, 0], shape: [2, 2]) }.ok)
    let norm = RMSNorm(3, eps: 1e-6, dtype: .float64)
    let x = GradCheck.input([4, 3], rng: &rng)
    XCTAssertTrue(GradCheck.check([x, norm.weight]) { _ in norm(x) }.ok)
  }

  func testModuleTreeNamesAndLoad() throws {
    final class Block: Module {
      let proj: Linear
      let norm = RMSNorm(2)
      init(rng: inout SeededRNG) { proj = Linear(2, 2, rng: &rng) }
      var children: [(String, any Module)] { [("self_attn.q_proj", proj), ("input_layernorm", norm)] }
    }
    var rng = SeededRNG(seed: 3)
    let block = Block(rng: &rng)
    let names = block.namedParameters(prefix: "model.layers.0").map(\.name)
    XCTAssertEqual(
      names, ["model.layers.0.self_attn.q_proj.weight", "model.layers.0.input_layernorm.weight"])
    let w = Tensor([1, 2, 3, 4], shape: [2, 2])
    XCTAssertThrowsError(try block.load(["self_attn.q_proj.weight": w]))
    let result = try block.load(["self_attn.q_proj.weight": w, "extra": w], strict: false)
    XCTAssertEqual(result.missing, ["input_layernorm.weight"])
    XCTAssertEqual(result.unused, ["extra"])
    XCTAssertEqual(block.proj.weight.toArray(), [1, 2, 3, 4])
    XCTAssertThrowsError(try block.load(["self_attn.q_proj.weight": Tensor.ones([3])], strict: false)) { e in
      XCTAssertTrue("\(e)".contains("[2, 2]") && "\(e)".contains("[3]"))
    }
  }
}
