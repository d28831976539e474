"""Dynamic int8 for a loaded model: the recipe the build measures and the loader applies.

PyTorch's dynamic int8 scales a Linear's input with one factor per call, so a single input
channel with values 20-60× the others (e5-small's FFN outputs have one per layer) crushes the
resolution of all the rest. Those few outlier channels are found on calibration texts and kept
in a small fp32 Linear; the other channels go through the int8 one (LLM.int8()-style split).
"""

from __future__ import annotations

import warnings

import torch
from torch import nn

from .calibration import CALIBRATION_TEXTS

OUTLIER_RATIO = 6.0  # a channel is an outlier above 6× the median channel's peak
MAX_OUTLIERS = 8


class OutlierSplitLinear(nn.Module):
    """`linear(x)` as an int8-able product with the outlier input channels zeroed, plus an fp32
    product over just those channels."""

    def __init__(self, linear: nn.Linear, outliers: torch.Tensor) -> None:
        super().__init__()
        mask = torch.zeros(linear.in_features, dtype=torch.bool)
        mask[outliers] = True
        self.register_buffer("outlier_mask", mask)
        self.register_buffer("outlier_index", outliers.clone())
        self.register_buffer("outlier_weight", linear.weight.detach()[:, outliers].clone())
        self.rest = linear

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.rest(x.masked_fill(self.outlier_mask, 0.0))
        return out.add_(
            nn.functional.linear(x.index_select(-1, self.outlier_index), self.outlier_weight)
        )


def input_peaks(model, texts) -> dict[str, torch.Tensor]:
    """Per Linear, the largest |input| of each channel over `texts` (run in fp32)."""
    peaks: dict[str, torch.Tensor] = {}
    hooks = []
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):

            def hook(_module, inputs, _output, name=name):
                x = inputs[0].detach().abs().reshape(-1, inputs[0].shape[-1]).amax(0)
                peaks[name] = torch.maximum(peaks[name], x) if name in peaks else x

            hooks.append(module.register_forward_hook(hook))
    try:
        with torch.inference_mode():
            model.encode(list(texts), batch_size=8)
    finally:
        for handle in hooks:
            handle.remove()
    return peaks


def outlier_channels(peak: torch.Tensor) -> torch.Tensor:
    limit = OUTLIER_RATIO * float(peak.median())
    order = torch.argsort(peak, descending=True)[:MAX_OUTLIERS]
    return torch.sort(order[peak[order] > limit]).values


def quantize_model(model, texts=None):
    """Dynamic int8 (per-channel weights) on every Linear, outlier input channels kept fp32, in place."""
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    peaks = input_peaks(model, texts or [f"passage: {t}" for t in CALIBRATION_TEXTS])
    for name, peak in peaks.items():
        outliers = outlier_channels(peak)
        if len(outliers):
            parent_name, _, child = name.rpartition(".")
            parent = model.get_submodule(parent_name)
            setattr(parent, child, OutlierSplitLinear(getattr(parent, child), outliers))
    spec = {
        name: per_channel_dynamic_qconfig
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear)
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return quantize_dynamic(model, spec, dtype=torch.qint8, inplace=True)
