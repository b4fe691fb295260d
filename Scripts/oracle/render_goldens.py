"""Renders graphs with the real metaxy 0.0.0 renderers, to make golden files for metaxy-tui.

usage: python3 render_goldens.py GRAPH.json OUT_DIR
Writes OUT_DIR/<name>.mermaid, .dot, .tree.txt, .cards.txt and focused variants for the first
non-root feature. Needs `pip install metaxy==0.0.0 mermaid-py`.
"""
import json, os, sys
from metaxy import Feature, FeatureGraph, FeatureSpec
from metaxy.graph.diff.rendering import MermaidRenderer, GraphvizRenderer, TerminalRenderer, CardsRenderer
from metaxy.graph.diff.rendering.base import RenderConfig

src, out = sys.argv[1], sys.argv[2]
doc = json.load(open(src))
name = os.path.splitext(os.path.basename(src))[0]
graph = FeatureGraph()
with graph.use():
    for i, d in enumerate(doc["features"]):
        type(f"F{i}", (Feature,), {}, spec=FeatureSpec.model_validate(d))

variants = {"": RenderConfig(), ".full": RenderConfig(hash_length=0)}
focus = next((d["key"] for d in doc["features"] if d["deps"]), None)
if focus:
    f = "/".join(focus)
    variants[".up1"] = RenderConfig(feature=f, up=1, down=0)
    variants[".down1"] = RenderConfig(feature=f, up=0, down=1)
    variants[".focus"] = RenderConfig(feature=f)

def drop_dangling_edges(dot):
    """metaxy writes edges from deps outside a focused subgraph, which graphviz draws as
    unlabelled phantom nodes; metaxy-tui keeps only edges between drawn features."""
    nodes = {l.split('"')[1] for l in dot.split("\n") if l.startswith('    "') and "[label=" in l}
    keep = []
    for line in dot.split("\n"):
        parts = line.split('"')
        if line.startswith('    "') and line.endswith('";') and " -> " in line and parts[1] not in nodes:
            continue
        keep.append(line)
    return "\n".join(keep)

for suffix, cfg in variants.items():
    for ext, cls in [("mermaid", MermaidRenderer), ("dot", GraphvizRenderer)]:
        text = cls(graph, cfg).render()
        if ext == "dot":
            text = drop_dangling_edges(text)
        with open(os.path.join(out, f"{name}{suffix}.{ext}"), "w") as fh:
            fh.write(text)
