"""nocsim from Python: run scenarios and sweeps in-process, get pandas tables, write codecs.

    import nocsim
    r = nocsim.run("configs/study/fmnist_pd_mlp.textproto", codec="int8")
    r.accelerator["cycles"], r.layers          # dict access, per-layer DataFrame
    s = nocsim.sweep("configs/study/codec_sweep.textproto", jobs=2)
    s.table                                      # one row per point, axis columns first

The functions call the same C++ code as the `nocsim` command, so the numbers are the CLI's.
"""
from ._core import Error
from ._api import allow_plugin, codecs, eval, register_codec, run, sweep, traffic, version
from ._results import EvalResult, Result, SweepResult

__all__ = [
    "Error", "EvalResult", "Result", "SweepResult", "allow_plugin", "codecs", "eval", "register_codec", "run",
    "sweep", "traffic", "version",
]
