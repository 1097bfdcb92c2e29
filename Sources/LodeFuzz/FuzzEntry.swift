import LodeScript
@main struct FuzzEntry { static func main() {} }
