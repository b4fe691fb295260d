/// The Python that exports a project's live graph: it loads the features exactly as the metaxy
/// CLI does (the config's entrypoints, the `metaxy.features` package entry points and the
/// `METAXY_ENTRYPOINT*` variables, after `MetaxyConfig.load(search_parents=True)`), with the
/// project's root on `sys.path`, and prints every feature's spec (`FeatureSpec.model_dump`, in
/// registration order) as JSON on stdout. Versions are computed in Swift from those specs, not by
/// metaxy's `to_snapshot()`, which recomputes them recursively (seconds for a few hundred features).
/// It is passed with `python -c`, so nothing is written anywhere. Exit 3: metaxy is missing.
///
/// With metaxy 0.1.x (`metaxy.init`), it prints an object instead: the project, the
/// `hash_truncation_length`, and per feature of the project the texts 0.1.x would store on a push
/// (`feature_spec`, `feature_schema`, `feature_class_path`), external features left out as there.
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
    except ImportError as error:
        sys.stderr.write("metaxy-tui: cannot import metaxy: %s\n" % error)
        sys.exit(\#(missingMetaxy))
    if hasattr(metaxy, "init") and hasattr(metaxy, "FeatureDefinition"):
        config = metaxy.init(search_parents=True)
        definitions = [d for d in metaxy.FeatureGraph.get_active().feature_definitions_by_key.values() if not d.is_external]
        project = config.project or (definitions[0].project if definitions else "")
        json.dump({"project": project, "hash_truncation_length": config.hash_truncation_length,
                   "features": [{"spec": json.dumps(d.spec.model_dump(mode="json")), "schema": json.dumps(d.feature_schema),
                                 "class_path": d.feature_class_path} for d in definitions if d.project == project]}, sys.stdout)
    else:
        from metaxy.config import MetaxyConfig
        from metaxy.entrypoints import load_features
        MetaxyConfig.load(search_parents=True)
        graph = load_features()
        json.dump([cls.spec.model_dump(mode="json") for cls in graph.features_by_key.values()], sys.stdout)
    """#
}
