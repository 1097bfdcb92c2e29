import LodeNN
import LodeTensor

/// A trained model whose logits are divided by a fitted temperature: every prediction path
/// (windows, maps, SHAP) sees calibrated probabilities without a second copy of the weights.
/// The temperature is a buffer ("temperature"), so it is saved and loaded with the weights.
public final class TemperatureScaledModel: Module {
    public let model: Module
    public let temperatureTensor: Tensor

    public init(_ model: Module, temperature: Double) throws {
        guard temperature > 0, temperature.isFinite else {
            throw EvalError("calibrate", "the temperature must be a positive number, got \(temperature)")
        }
        self.model = model
        self.temperatureTensor = Tensor([Float(temperature)])
        super.init()
        contract = model.contract
    }

    public var temperature: Float { temperatureTensor.pointer[0] }

    public override var children: [(name: String, module: Module)] { [("model", model)] }
    public override var ownBuffers: [(name: String, tensor: Tensor)] { [("temperature", temperatureTensor)] }
    public override var headline: String { "Calibrated(\(model.displayName), T \(temperature))" }

    public override func callAsFunction(_ x: Tensor) throws -> Tensor {
        try model(x) * (1 / temperature)
    }
}
