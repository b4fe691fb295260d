/// An id column's value: a 0.0.0 sample_uid's kind of value (integers compare numerically and
/// before any string), one per id column in 0.1.x.
public typealias IDValue = SampleUID

/// Tuples of ids in id-column order, compared column by column.
func idsLess(_ a: [IDValue], _ b: [IDValue]) -> Bool { a.lexicographicallyPrecedes(b) }
