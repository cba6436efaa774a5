import LGSPCore

/// `Unit` also names Foundation's measurement unit; in these tests it is the directory unit.
typealias Unit = LGSPCore.Unit
