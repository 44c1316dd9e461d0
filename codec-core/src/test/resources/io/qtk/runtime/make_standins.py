"""Generates the stand-in ONNX graphs used by io.qtk.runtime unit tests (not a trained model).

grid:   encoder image[1,3,H,W] -Conv(k=f,s=f)-> latent[1,C,H/f,W/f]; decoder the ConvTranspose back.
global: encoder image[1,3,T,T] -Conv(k=T)-> [1,N*d,1,1] -Reshape-> latent[1,N,d]; decoder the reverse.
Weights are a fixed formula, so the files are reproducible. Run with the training venv:
    training/.venv/bin/python make_standins.py
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 17)]


def weights(shape, seed):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n, dtype=np.float64) * 0.7 + seed) * 0.1).astype(np.float32).reshape(shape)


def save(graph, path):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="qtk-standin")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def grid(f=4, c=8):
    w = numpy_helper.from_array(weights((c, 3, f, f), 1.0), "w")
    enc = helper.make_graph(
        [helper.make_node("Conv", ["image", "w"], ["latent"], kernel_shape=[f, f], strides=[f, f])],
        "grid_encoder",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "H", "W"])],
        [helper.make_tensor_value_info("latent", TensorProto.FLOAT, [1, c, "h", "w"])],
        [w])
    save(enc, "standin-grid-encoder.onnx")
    wt = numpy_helper.from_array(weights((c, 3, f, f), 2.0), "wt")
    dec = helper.make_graph(
        [helper.make_node("ConvTranspose", ["latent", "wt"], ["image"], kernel_shape=[f, f], strides=[f, f])],
        "grid_decoder",
        [helper.make_tensor_value_info("latent", TensorProto.FLOAT, [1, c, "h", "w"])],
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "H", "W"])],
        [wt])
    save(dec, "standin-grid-decoder.onnx")


def global_(t=8, n=4, d=2):
    w = numpy_helper.from_array(weights((n * d, 3, t, t), 3.0), "w")
    s1 = numpy_helper.from_array(np.array([1, n, d], dtype=np.int64), "s1")
    enc = helper.make_graph(
        [helper.make_node("Conv", ["image", "w"], ["z"], kernel_shape=[t, t]),
         helper.make_node("Reshape", ["z", "s1"], ["latent"])],
        "global_encoder",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, t, t])],
        [helper.make_tensor_value_info("latent", TensorProto.FLOAT, [1, n, d])],
        [w, s1])
    save(enc, "standin-global-encoder.onnx")
    wt = numpy_helper.from_array(weights((n * d, 3, t, t), 4.0), "wt")
    s2 = numpy_helper.from_array(np.array([1, n * d, 1, 1], dtype=np.int64), "s2")
    dec = helper.make_graph(
        [helper.make_node("Reshape", ["latent", "s2"], ["z"]),
         helper.make_node("ConvTranspose", ["z", "wt"], ["image"], kernel_shape=[t, t])],
        "global_decoder",
        [helper.make_tensor_value_info("latent", TensorProto.FLOAT, [1, n, d])],
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, t, t])],
        [wt, s2])
    save(dec, "standin-global-decoder.onnx")


if __name__ == "__main__":
    grid()
    global_()
