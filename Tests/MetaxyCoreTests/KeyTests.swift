@testable import MetaxyCore
import Testing

@Suite struct KeyTests {
    @Test func listOrderAndStringOrderDiffer() {
        // reference §1.1: as lists a/b < a-b, as strings a-b < a/b.
        let ab = FeatureKey(["a", "b"]), aDashB = FeatureKey(["a-b"])
        #expect(FeatureKey.listLess(ab, aDashB))
        #expect(FeatureKey.stringLess(aDashB, ab))
        let keys = ["p-q", "d/two", "a-b", "p", "a/b", "d/one"].map { FeatureKey(string: $0) }
        #expect(keys.sorted(by: FeatureKey.listLess).map(\.string) == ["a/b", "a-b", "d/one", "d/two", "p", "p-q"])
    }

    @Test func prefixSortsFirstInBothOrders() {
        #expect(FeatureKey.listLess(FeatureKey(["a"]), FeatureKey(["a", "b"])))
        #expect(!FeatureKey.listLess(FeatureKey(["a", "b"]), FeatureKey(["a"])))
        #expect(!FeatureKey.listLess(FeatureKey(["a"]), FeatureKey(["a"])))
    }

    @Test func codePointOrderIsNotSwiftsNormalisedOrder() {
        // "é" precomposed (U+00E9) sorts after "e\u{301}" (U+0065 U+0301) by code point.
        #expect(codePointLess("e\u{301}", "\u{E9}"))
        #expect(!codePointLess("\u{E9}", "e\u{301}"))
        #expect(codePointLess("Z", "a"))
    }

    @Test func stringFormAndTableName() {
        let key = FeatureKey(["a_b", "c.d", "", " x"])
        #expect(key.string == "a_b/c.d// x")
        #expect(FeatureKey(string: key.string).parts == ["a_b", "c.d", "", " x"])
        #expect(FeatureKey(["a", "b-c"]).tableName == "a__b-c")
    }

    @Test func invalidPartsAreRefusedWithMetaxysReason() {
        #expect(FeatureKey.problem(with: ["a/b"])?.contains("cannot contain forward slashes") == true)
        #expect(FeatureKey.problem(with: ["a__b"])?.contains("cannot contain double underscores") == true)
        #expect(FieldKey.problem(joined: "x/a__b")?.contains("FieldKey part 'a__b'") == true)
        #expect(FeatureKey.problem(with: ["a_b", "-", "_"]) == nil)
    }
}

@Suite struct FQOrderTests {
    /// reference §1.2: `p-q.x` < `p.a-c` < `p.a/b` < `p.z`, and keys that continue with '.'.
    @Test(arguments: [
        ("p-q", "x", "p", "a-c"), ("p", "a-c", "p", "a/b"), ("p", "a/b", "p", "z"),
        ("a", "z", "a.b", "c"), ("a.b", "c", "a", "z"), ("a", "b", "a-b", "a"), ("x/y", "f", "x", "g"),
    ])
    func fqLessAgreesWithTheJoinedStrings(a: String, x: String, b: String, y: String) {
        #expect(GraphResolver.fqLess(a, x, b, y) == codePointLess(a + "." + x, b + "." + y))
        #expect(GraphResolver.fqLess(b, y, a, x) == codePointLess(b + "." + y, a + "." + x))
    }
}
