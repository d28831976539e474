"""Sentence encoders behind one small interface (see `base.Encoder`)."""

from .base import Encoder, ModelUnavailable

__all__ = ["Encoder", "ModelUnavailable"]
