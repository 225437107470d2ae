import Foundation

/// A one-line text progress bar with rate and ETA, for stderr:
/// `[########------------]  40/100  2.50 problems/s  ETA 0:24`.
public enum EvalProgressBar {
  /// The bar for `done` of `total` items after `elapsed` seconds (rate and ETA from this
  /// invocation's own items only, so a resumed run does not report an inflated rate).
  ///
  /// Example: `render(done: 5, total: 10, elapsed: 2, width: 10, alreadyDone: 0)` is
  /// `"[#####-----]   5/10  2.50 problems/s  ETA 0:02"`.
  public static func render(done: Int, total: Int, elapsed: Double, width: Int = 30, alreadyDone: Int = 0)
    -> String
  {
    let all = max(total, 0)
    let finished = min(max(done + alreadyDone, 0), all)
    let filled = all == 0 ? width : Int((Double(finished) / Double(all) * Double(width)).rounded(.down))
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: max(0, width - filled))
    let digits = String(all).count
    let count = String(repeating: " ", count: max(0, digits - String(finished).count)) + "\(finished)/\(all)"
    let rate = elapsed > 0 ? Double(done) / elapsed : 0
    let eta: String
    if finished >= all {
      eta = "done " + clock(elapsed)
    } else if rate > 0 {
      eta = "ETA " + clock(Double(all - finished) / rate)
    } else {
      eta = "ETA --:--"
    }
    return "[\(bar)]  \(count)  " + String(format: "%.2f problems/s", rate) + "  " + eta
  }

  /// "m:ss" or "h:mm:ss".
  ///
  /// Example: `clock(83)` is "1:23"; `clock(3725)` is "1:02:05".
  public static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--:--" }
    let s = Int(seconds.rounded())
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
    return h > 0 ? String(format: "%d:%02d:%02d", h, m, sec) : String(format: "%d:%02d", m, sec)
  }
}
