/// The Python that exports a project's live graph: it loads the features exactly as the metaxy
/// CLI does (the config's entrypoints, the `metaxy.features` package entry points and the
/// `METAXY_ENTRYPOINT*` variables, after `MetaxyConfig.load(search_parents=True)`), with the
/// project's root on `sys.path`, and prints every feature's spec (`FeatureSpec.model_dump`, in
/// registration order) as JSON on stdout. Versions are computed in Swift from those specs, not by
/// metaxy's `to_snapshot()`, which recomputes them recursively (seconds for a few hundred features).
/// It is passed with `python -c`, so nothing is written anywhere. Exit 3: metaxy is missing.
enum ExportScript {
    static let missingMetaxy: Int32 = 3

    static let source = #"""
    import json, os, sys
    # argv: the project's root (its modules are imported from there), the directory the config
    # was found from (metaxy finds it, and resolves relative paths, from the working directory).
    sys.path.insert(0, sys.argv[1])
    os.chdir(sys.argv[2])
    try:
        import metaxy
        from metaxy.config import MetaxyConfig
        from metaxy.entrypoints import load_features
    except ImportError as error:
        sys.stderr.write("metaxy-tui: cannot import metaxy: %s\n" % error)
        sys.exit(\#(missingMetaxy))
    MetaxyConfig.load(search_parents=True)
    graph = load_features()
    json.dump([cls.spec.model_dump(mode="json") for cls in graph.features_by_key.values()], sys.stdout)
    """#
}
