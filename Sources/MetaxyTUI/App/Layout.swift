import TerminalKit

/// Where each part of the Graph screen goes at a given size; `update` uses it for paging and
/// scrolling, `view` for drawing, so the two always agree.
struct Layout: Equatable {
    static let minimum = Size(width: 40, height: 10)

    let size: Size
    let header: Rect
    let features: Rect
    let detail: Rect
    let status: Rect
    let footer: Rect

    init(size: Size) {
        self.size = size
        let body = max(0, size.height - 3)
        let left = max(22, min(48, size.width * 36 / 100))
        header = Rect(x: 0, y: 0, width: size.width, height: 1)
        features = Rect(x: 0, y: 1, width: left, height: body)
        detail = Rect(x: left, y: 1, width: size.width - left, height: body)
        status = Rect(x: 0, y: size.height - 2, width: size.width, height: 1)
        footer = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
    }

    /// Between the header and the status bar: where the Diff and Store screens and overlays draw.
    var body: Rect { Rect(x: 0, y: 1, width: size.width, height: max(0, size.height - 3)) }

    /// The Diff screen: a summary line, the merged list on the left, the why panel on the right.
    var diffSummary: Rect { Rect(x: 0, y: 1, width: size.width, height: 1) }
    /// With full versions the why panel takes the wider share: 64 hex digits must fit there.
    var fullVersions = false
    var diffListBox: Rect {
        Rect(x: 0, y: 2, width: fullVersions ? max(20, size.width - 72) : size.width * 55 / 100, height: max(0, size.height - 4))
    }
    var diffWhyBox: Rect { Rect(x: diffListBox.maxX, y: 2, width: size.width - diffListBox.maxX, height: diffListBox.height) }
    var diffList: Rect { diffListBox.inset(1) }
    var diffWhy: Rect { Rect(x: diffWhyBox.x + 2, y: diffWhyBox.y + 1, width: diffWhyBox.width - 3, height: diffWhyBox.height - 2) }

    /// The DAG screen's drawing area, between the header and the status bar.
    var dagArea: Rect { Rect(x: 0, y: 1, width: size.width, height: max(0, size.height - 3)) }

    var tooSmall: Bool { size.width < Self.minimum.width || size.height < Self.minimum.height }
    var featuresInner: Rect { features.inset(1) }
    var detailInner: Rect { Rect(x: detail.x + 2, y: detail.y + 1, width: detail.width - 3, height: detail.height - 2) }
}
