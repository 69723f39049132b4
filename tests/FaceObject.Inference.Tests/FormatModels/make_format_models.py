#!/usr/bin/env python3
"""Builds tiny ONNX graphs in the output formats of Ultralytics YOLO and RT-DETR exports, for format tests.

No pretrained file of those types is available here, so the tests check the decoders against graphs whose
outputs are known constants. Each graph takes an input shaped like the real export's ("images" [1,3,H,W] float)
and emits a fixed output tensor: Constant + 0 * ReduceSum(images), so the input stays connected (ONNX Runtime
keeps it as a graph input and the pixels really flow through) without changing the values. The metadata holds
"names" the way Ultralytics writes it, a Python dict literal.

Needs Debian's python3-onnx and python3-numpy (apt-get install -y python3-onnx python3-numpy).
Usage: make_format_models.py OUTPUT_DIR    (the C# format tests run it into a temporary folder)

The expected values the tests assert are the constants below; keep the two in step.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NAMES = "{0: 'person', 1: 'bicycle', 2: 'car'}"
CLASSES = 3
SIZE = 64  # input 64x64: the stride 8/16/32 grids have 64 + 16 + 4 = 84 points
POINTS = 84
QUERIES = 300


def ultralytics_output():
    """[1, 4+3, 84]: channel-major cx, cy, w, h (input pixels), then one score row per class."""
    out = np.zeros((1, 4 + CLASSES, POINTS), dtype=np.float32)

    def point(i, cx, cy, w, h, scores):
        out[0, 0:4, i] = (cx, cy, w, h)
        out[0, 4:, i] = scores

    point(0, 32, 32, 20, 10, (0.90, 0.05, 0.00))  # person, the box the tests map back
    point(1, 33, 32, 20, 10, (0.80, 0.00, 0.00))  # person, IoU ~0.9 with point 0: NMS drops it
    point(2, 32, 32, 20, 10, (0.10, 0.85, 0.00))  # bicycle on the same box: another class, kept
    point(3, 10, 40, 8, 8, (0.00, 0.00, 0.20))    # car below the 0.25 default threshold
    point(83, 56, 40, 8, 16, (0.00, 0.00, 0.60))  # car, last point
    return out


def rtdetr_output():
    """[1, 300, 4+3]: per query cx, cy, w, h normalised to 0..1, then sigmoid-ed class scores."""
    out = np.zeros((1, QUERIES, 4 + CLASSES), dtype=np.float32)
    out[0, 0] = (0.50, 0.50, 0.20, 0.10, 0.90, 0.00, 0.00)  # person
    out[0, 1] = (0.51, 0.50, 0.20, 0.10, 0.80, 0.00, 0.00)  # person overlapping query 0: no NMS, kept
    out[0, 2] = (0.25, 0.75, 0.10, 0.10, 0.00, 0.70, 0.10)  # bicycle
    out[0, 3] = (0.75, 0.25, 0.10, 0.10, 0.00, 0.00, 0.20)  # car below the 0.25 default threshold
    return out


def constant_model(path, output, input_dims, output_dims, names=NAMES):
    images = helper.make_tensor_value_info("images", TensorProto.FLOAT, input_dims)
    output0 = helper.make_tensor_value_info("output0", TensorProto.FLOAT, output_dims)
    nodes = [
        helper.make_node("Constant", [], ["fixed"], value=numpy_helper.from_array(output, "fixed")),
        helper.make_node("Constant", [], ["zero"], value=numpy_helper.from_array(np.array(0, dtype=np.float32), "zero")),
        helper.make_node("ReduceSum", ["images"], ["total"], keepdims=0),
        helper.make_node("Mul", ["total", "zero"], ["nothing"]),
        helper.make_node("Add", ["fixed", "nothing"], ["output0"]),
    ]
    graph = helper.make_graph(nodes, "format-test", [images], [output0])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="faceobject-format-tests")
    model.ir_version = 8
    if names is not None:
        helper.set_model_props(model, {"names": names, "task": "detect"})
    onnx.checker.check_model(model)
    onnx.save(model, path)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_format_models.py OUTPUT_DIR")
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    yolo = ultralytics_output()
    detr = rtdetr_output()
    constant_model(os.path.join(out_dir, "ultralytics.onnx"), yolo, [1, 3, SIZE, SIZE], [1, 4 + CLASSES, POINTS])
    constant_model(os.path.join(out_dir, "ultralytics_nonames.onnx"), yolo, [1, 3, SIZE, SIZE], [1, 4 + CLASSES, POINTS], names=None)
    # Like `yolo export dynamic=True`: batch, height and width symbolic, the point count too.
    constant_model(os.path.join(out_dir, "ultralytics_dynamic.onnx"), yolo,
                   ["batch", 3, "height", "width"], ["batch", 4 + CLASSES, "anchors"])
    constant_model(os.path.join(out_dir, "rtdetr.onnx"), detr, [1, 3, SIZE, SIZE], [1, QUERIES, 4 + CLASSES])


if __name__ == "__main__":
    main()
