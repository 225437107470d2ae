import ArgumentParser

/// `recheck grade <kind>`: answer graders (math equivalence; code execution is added alongside).
struct GradeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "grade", abstract: "Grade model answers against references.",
    subcommands: [GradeMathCommand.self, GradeCodeCommand.self]
  )
}
