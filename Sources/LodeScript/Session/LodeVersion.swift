public enum LodeVersion {
    public static let current = "0.1.0"
}
