import ArgumentParser
import Foundation
import LodeGeo
import LodeLibrary
import LodeScript

/// The paper's data preparation as `prepare()` in `stdlib/pipeline.lode` writes it (survey →
/// 15-layer stack → the paper's negatives → windows → augmentation), run for the commands that
/// time it or need its stack and windows: `lode survey prepare`, `lode bench map`, `lode bench
/// shap`. The preparation exists once, in Lode; these commands read its products.
struct PipelinePreparation {
    var survey: SyntheticSurvey
    var stack: RasterStack
    var windows: Dataset
    var augmented: Dataset
    /// Seconds per step, in order: generating the survey, then prepare()'s own steps.
    var timings: [(step: String, seconds: Double)]

    static func run(preset: String, surveySeed: UInt64 = 42, perClass: Int, seed: UInt64 = 1) throws -> PipelinePreparation {
        guard perClass >= 1 else { throw ValidationError("windows per class must be at least 1, got \(perClass)") }
        let session = LodeSessionFactory.makeSession()
        let source = """
            use "pipeline"
            started = clock()
            survey = synthetic_survey(preset: "\(preset)", seed: \(surveySeed))
            generated = clock() - started
            sizes = demo_sizes(preset: "\(preset)")
            sizes.per_class = \(perClass)
            prep = prepare(survey, seed: \(seed), sizes: sizes);
            """
        let output = CollectingOutput()
        if case .error(_, _, let traceback) = session.execute(source, cellName: "<prepare>", output: output) {
            throw ValidationError(traceback.joined(separator: "\n"))
        }
        guard case .object(let survey as SurveyObject)? = session.value(of: "survey"),
              case .record(let prep)? = session.value(of: "prep"),
              case .object(let stack as StackObject)? = prep["stack"],
              case .object(let windows as DatasetObject)? = prep["windows"],
              case .object(let augmented as DatasetObject)? = prep["augmented"],
              case .record(let steps)? = prep["timings"] else {
            throw ValidationError("prepare() in stdlib/pipeline.lode did not return {stack, windows, augmented, timings}")
        }
        let generated = session.value(of: "generated")?.numberValue ?? 0
        return PipelinePreparation(survey: survey.survey, stack: stack.stack, windows: windows.data, augmented: augmented.data,
                                   timings: [("generate survey", generated)] + steps.fields.map { ($0.key, $0.value.numberValue ?? 0) })
    }
}
