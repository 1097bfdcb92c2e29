import LodeKernel

/// The interpreter `lode kernel` serves: the LodeScript session adapter, once the language lands.
func makeKernelInterpreter() throws -> KernelInterpreter {
    throw KernelSetupError("this build has no LodeScript session to serve")
}
