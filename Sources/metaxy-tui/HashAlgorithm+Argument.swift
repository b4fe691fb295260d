import ArgumentParser
import MetaxyCore

extension HashAlgorithm: ExpressibleByArgument {}
