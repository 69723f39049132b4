#!/usr/bin/env python3
"""Writes a copy of each ONNX model whose batch dimension can vary, for batched inference (Models:{key}:MaxBatch).

  make_dynamic_batch.py [--out DIR] MODEL.onnx...   writes MODEL.dynamic.onnx beside each, or into DIR
                                                    (scripts/fetch-models.sh runs it on models/)

The exports fix the batch at 1 in three places, and each is rewritten:
  - the graph's inputs and outputs: dimension 0 becomes the symbol "batch";
  - Reshape targets baked as constants with a leading 1 (YOLOX's head reshapes to [1,85,-1]): the 1 becomes 0,
    which in ONNX Reshape means "copy this dimension from the input", so the batch flows through;
  - the stored intermediate shapes (value_info), which would otherwise pin batch 1 again: dropped, ONNX Runtime
    infers them at load.
Shapes computed at run time (UltraFace's Shape -> Gather -> Reshape) already follow the batch. The weights and
every other node are unchanged, so batch-1 results are the same; tests/FaceObject.Inference.Tests checks that
batched outputs equal batch-1 outputs image by image.

A model whose batch cannot be made dynamic this way (a constant shape used other than as a Reshape target, e.g. a
Tile or Expand to a baked batch, or an explicit Reshape to a literal batch other than 1) is refused with the reason.
Needs Debian's python3-onnx (apt-get install -y python3-onnx).
"""
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

BATCH = "batch"


def constant_values(graph):
    """Name -> (numpy array, setter) for initializers and Constant nodes."""
    values = {}
    for init in graph.initializer:
        values[init.name] = (numpy_helper.to_array(init), lambda a, t=init: t.CopyFrom(numpy_helper.from_array(a, t.name)))
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            attr = node.attribute[0]
            values[node.output[0]] = (numpy_helper.to_array(attr.t),
                                      lambda a, at=attr, n=node.output[0]: at.t.CopyFrom(numpy_helper.from_array(a, n)))
    return values


def make_dynamic(model):
    graph = model.graph
    initializer_names = {i.name for i in graph.initializer}
    for value in list(graph.input) + list(graph.output):
        if value.name in initializer_names:
            continue  # old exports list weights as inputs too
        dims = value.type.tensor_type.shape.dim
        if not dims or (dims[0].HasField("dim_value") and dims[0].dim_value != 1):
            raise ValueError(f"{value.name}: dimension 0 is {dims[0] if dims else 'missing'}, not a batch of 1")
        dims[0].Clear()
        dims[0].dim_param = BATCH

    values = constant_values(graph)
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    rewritten = 0
    for node in graph.node:
        if node.op_type in ("Tile", "Expand", "ConstantOfShape") and any(n in values for n in node.input[1:]):
            raise ValueError(f"{node.op_type} {node.name or node.output[0]} has a baked shape; the batch cannot follow it")
        if node.op_type != "Reshape" or node.input[1] not in values:
            continue
        shape, set_shape = values[node.input[1]]
        if shape.ndim != 1 or len(shape) < 2 or shape[0] != 1:
            continue
        if any(c.op_type != "Reshape" for c in consumers[node.input[1]]):
            raise ValueError(f"Reshape {node.name}: its target shape is shared with other operators")
        fixed = shape.copy()
        fixed[0] = 0
        set_shape(fixed.astype(shape.dtype))
        rewritten += 1
    del graph.value_info[:]
    onnx.checker.check_model(model)
    onnx.shape_inference.infer_shapes(model, strict_mode=True)
    return rewritten


def main(args):
    out = None
    if args[:1] == ["--out"] and len(args) >= 2:
        out, args = Path(args[1]), args[2:]
    paths = args
    if not paths:
        print(__doc__)
        return 2
    status = 0
    for path in map(Path, paths):
        target = (out or path.parent) / (path.stem + ".dynamic.onnx")
        model = onnx.load(str(path))
        try:
            rewritten = make_dynamic(model)
        except ValueError as error:
            print(f"dynamic batch: {path.name} cannot be made dynamic: {error}", file=sys.stderr)
            status = 1
            continue
        onnx.save(model, str(target))
        print(f"dynamic batch: {target.name} ({rewritten} Reshape targets rewritten)")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
