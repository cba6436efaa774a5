import LGSPCore

/// `Unit` also names Foundation's measurement unit; in this module it is the directory unit.
typealias Unit = LGSPCore.Unit
