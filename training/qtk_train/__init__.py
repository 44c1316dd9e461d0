"""qtk training pipeline: data, models, quantisers, losses, checkpoints, ONNX bundle export."""
