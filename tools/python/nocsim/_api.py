"""The package's functions: thin conversions around nocsim._core (see __init__.py)."""
import os

from . import _core
from ._results import EvalResult, Result, SweepResult


def _overrides(set):
    """`set` as --set strings: a dict {"noc.router.num_vcs": 4} or a list of "path=value"."""
    if set is None:
        return []
    if isinstance(set, dict):
        out = []
        for path, value in set.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, (list, tuple)):
                value = ",".join(str(v) for v in value)
            out.append(f"{path}={value}")
        return out
    if isinstance(set, str):
        return [set]
    return [str(s) for s in set]


def _with_codec(sets, codec):
    # As `nocsim run --codec SPEC`: the whole codec section is replaced by the spec.
    return sets if codec is None else sets + ["codec=", f"codec.spec={codec}"]


def allow_plugin(path):
    """Lets the codec plugin library `path` load (as `--allow-plugin PATH`), for the rest of the
    process. A plugin runs with your rights from the moment it is loaded; a scenario or codec spec
    naming a library nobody allowed raises nocsim.Error."""
    _core.allow_plugin(os.fspath(path))


def _allow(plugins):
    for p in plugins:
        allow_plugin(p)


def run(scenario, set=None, codec=None, out=None, allow_plugins=()):
    """One accelerator inference (`nocsim run`); `out` also writes <out>/<name>.json and .csv."""
    _allow(allow_plugins)
    sets = _with_codec(_overrides(set), codec)
    return Result(_core.run_scenario("run", os.fspath(scenario), sets, os.fspath(out or "")))


def traffic(scenario, set=None, out=None, allow_plugins=()):
    """Synthetic traffic on the NoC alone (`nocsim traffic`)."""
    _allow(allow_plugins)
    sets = _overrides(set)
    return Result(_core.run_scenario("traffic", os.fspath(scenario), sets, os.fspath(out or "")))


def sweep(sweep_file, set=None, jobs=1, results=None, allow_plugins=()):
    """Runs a sweep file (`nocsim sweep`): finished points are kept in results.csv/.jsonl and a
    second call resumes; returns every row of the results, read back from results.jsonl."""
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    _allow(allow_plugins)
    outcome = _core.run_sweep(os.fspath(sweep_file), _overrides(set), int(jobs),
                              os.fspath(results or ""))
    return SweepResult(outcome, _core.read_results_jsonl(outcome["jsonl"]))


def eval(model, codec=None, chunk_rows=0, data=None, allow_plugins=()):
    """Test accuracy of a model file, and with a codec of its decoded weights (`nocsim eval`)."""
    _allow(allow_plugins)
    return EvalResult(_core.eval_model(os.fspath(model), codec or "", int(chunk_rows),
                                       os.fspath(data or "")))


def codecs(plugins=()):
    """Every codec (built-in, plugin, Python) with its parameters, as `nocsim codecs` lists them;
    naming a library in `plugins` allows it."""
    return _core.list_codecs([os.fspath(p) for p in plugins])


def version():
    """nocsim's version: `git describe` of the source tree at build time, else the CMake version."""
    return _core.version()


def _param(name, decl):
    """One entry of a codec class's `params`: (default, min, max, help) for int and real,
    (default, [choices], help) for a choice, (default, help) for a flag."""
    if not isinstance(decl, tuple) or not decl:
        raise ValueError(f"params['{name}']: expected a tuple starting with the default")
    default = decl[0]
    if isinstance(default, bool) and len(decl) == 2:
        return _core.PythonParam(name, "flag", default, 0, 0, [], str(decl[1]))
    if isinstance(default, str) and len(decl) == 3:
        return _core.PythonParam(name, "choice", default, 0, 0, [str(c) for c in decl[1]],
                                 str(decl[2]))
    if isinstance(default, (int, float)) and len(decl) == 4:
        kind = "int" if isinstance(default, int) else "real"
        return _core.PythonParam(name, kind, default, float(decl[1]), float(decl[2]),
                                 [], str(decl[3]))
    raise ValueError(f"params['{name}']: expected (default, min, max, help), "
                     f"(default, [choices], help) or (default, help), got {decl!r}")


def register_codec(name, cls, description=None):
    """Makes a Python codec usable by name in any run or sweep started from Python.

    `cls(**params)` builds one; the object has `encode(weights: np.ndarray[float32]) -> bytes`
    (one chunk), `decode(data: bytes, n: int) -> np.ndarray` (n weights), `bits` (nominal bits
    per weight, for traffic-only runs), `lossless`, `decoder_cost` = (latency_cycles,
    weights_per_cycle, energy_pj_per_weight) and optionally `error_bound` (text). A class
    attribute `params` = {name: declaration} declares parameters settable from a spec
    ("mycodec:bits=3"); see _param for the forms.
    """
    params = [_param(n, d) for n, d in getattr(cls, "params", {}).items()]
    doc = description or (cls.__doc__ or "").strip().split("\n")[0] or "Python codec"
    _core.register_codec(name, f"{doc} (Python)", cls, params)
