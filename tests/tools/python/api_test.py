"""The Python package against the CLI: same sweep, same numbers; a Python codec end to end."""
import hashlib
import os
import subprocess
import tempfile
import unittest

import numpy as np
import pandas as pd

import nocsim

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
STUDY = os.path.join(ROOT, "configs", "study", "fmnist_pd_mlp.textproto")
NOCSIM = os.environ.get("NOCSIM_BIN", os.path.join(ROOT, "build", "tools", "nocsim"))


def builtin(name):
    return next(c for c in nocsim.codecs() if c["name"] == name)


class NumpyFp16:
    """IEEE half precision through numpy: must give exactly what the built-in fp16 gives."""
    bits = 16
    lossless = False
    decoder_cost = None  # the built-in's, set before registration

    def encode(self, weights):
        return weights.astype("<f2").tobytes()

    def decode(self, data, n):
        return np.frombuffer(data, "<f2", count=n).astype(np.float32)


class SignMagnitude:
    """A parameterised toy: `bits`-bit symmetric quantization with a per-chunk fp32 scale."""
    params = {"bits": (4, 2, 8, "bits per weight")}
    lossless = False
    decoder_cost = (1, 8.0, 0.05)

    def __init__(self, bits):
        self.bits = bits
        self.levels = 2 ** (bits - 1) - 1

    def encode(self, weights):
        scale = float(np.abs(weights).max()) or 1.0
        q = np.round(weights / scale * self.levels).astype(np.int8)
        return np.float32(scale).tobytes() + q.tobytes()

    def decode(self, data, n):
        if len(data) != 4 + n:
            raise ValueError(f"{len(data)} bytes for {n} weights")
        scale = np.frombuffer(data[:4], np.float32)[0]
        return np.frombuffer(data[4:], np.int8).astype(np.float32) * (scale / self.levels)


def write_sweep(folder, variants, fields=()):
    path = os.path.join(folder, "study.textproto")
    with open(path, "w") as f:
        f.write(f'base: "{STUDY}"\nrunner: "run"\n')
        for field, values in fields:
            f.write(f'axes {{ field: "{field}" values: [{", ".join(repr(v) for v in values)}] }}\n'
                    .replace("'", '"'))
        f.write('axes {\n  name: "codec"\n')
        for label, spec in variants:
            f.write(f'  variants {{ label: "{label}" set: "codec.spec={spec}" }}\n')
        f.write("}\n")
    return path


class SweepMatchesCli(unittest.TestCase):
    def test_same_rows_as_the_cli(self):
        with tempfile.TemporaryDirectory() as tmp:
            sweep = write_sweep(tmp, [("fp32", "identity"), ("int8", "int8")],
                                [("noc.router.num_vcs", ["2", "4"])])
            py = nocsim.sweep(sweep, jobs=2, results=os.path.join(tmp, "py"))
            self.assertEqual((py.ran, py.skipped, py.failed), (4, 0, 0))
            subprocess.run([NOCSIM, "sweep", sweep, "-j", "1", "--results",
                            os.path.join(tmp, "cli")], check=True, capture_output=True)
            with open(py.jsonl) as a, open(os.path.join(tmp, "cli", "results.jsonl")) as b:
                self.assertEqual(a.read(), b.read())
            cli = pd.read_csv(os.path.join(tmp, "cli", "results.csv"))
            table = py.table
            self.assertEqual(len(table), 4)
            self.assertEqual(list(table["accelerator.cycles"]), list(cli["accelerator.cycles"]))
            # results.csv holds 10 significant digits; results.jsonl (equal above) all of them.
            for column in ["accelerator.energy.total_pj", "accelerator.accuracy",
                           "accelerator.bits_per_weight"]:
                np.testing.assert_allclose(table[column], cli[column], rtol=1e-9, err_msg=column)
            self.assertEqual(list(table["codec"]), ["fp32", "int8", "fp32", "int8"])
            # int8 is faster than fp32 on both router configurations.
            by = table.set_index(["noc.router.num_vcs", "codec"])["accelerator.cycles"]
            for vcs in ["2", "4"]:
                self.assertLess(by[(vcs, "int8")], by[(vcs, "fp32")])
            # One row per point and layer / link, with the axis columns.
            self.assertEqual(len(py.layers), 4 * len(py.results[0].layers))
            self.assertIn("codec", py.layers.columns)
            self.assertGreater(len(py.links), 0)
            # A second call resumes: nothing runs again, every row is still there.
            again = nocsim.sweep(sweep, results=os.path.join(tmp, "py"))
            self.assertEqual((again.ran, again.skipped, len(again)), (0, 4, 4))

    def test_run_and_traffic_match_the_cli(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = nocsim.run(STUDY, codec="int4:granularity=block", out=tmp)
            cli = subprocess.run([NOCSIM, "run", STUDY, "--codec", "int4:granularity=block",
                                  "--out", os.path.join(tmp, "cli")],
                                 check=True, capture_output=True, text=True).stdout
            self.assertIn(f"inference {r.accelerator['cycles']} cycles", cli)
            self.assertIn(f"accuracy {100 * r.accelerator['accuracy']:.2f}%", cli)
            self.assertTrue(os.path.exists(os.path.join(tmp, "fmnist_pd_mlp.json")))
            # Provenance: the version, the scenario as run, input files with their SHA-256.
            p = r.provenance
            self.assertEqual(p["version"], nocsim.version())
            self.assertEqual(p["scenario"]["codec"]["spec"], "int4:granularity=block")
            self.assertGreater(p["scenario"]["tech"]["dram_pj_per_bit"], 0)
            inputs = {i["role"]: i for i in p["inputs"]}
            with open(inputs["model.file"]["path"], "rb") as f:
                self.assertEqual(inputs["model.file"]["sha256"],
                                 hashlib.sha256(f.read()).hexdigest())
            self.assertEqual(r.row["provenance.version"], nocsim.version())
            traffic = os.path.join(ROOT, "configs", "traffic", "mesh4x4_uniform.textproto")
            t = nocsim.traffic(traffic, set={"traffic.injection_rate": 0.1})
            self.assertIsNone(t.accelerator)
            self.assertTrue(t.layers.empty)
            cli = subprocess.run([NOCSIM, "traffic", traffic, "--set", "traffic.injection_rate=0.1",
                                  "--out", tmp], check=True, capture_output=True, text=True).stdout
            self.assertIn(f"mean {t.noc['packet_latency']['mean']:.2f}", cli)
            self.assertIsInstance(t.noc["cycles"], int)

    def test_bad_input_raises_with_the_cli_message(self):
        with self.assertRaisesRegex(nocsim.Error, "noc.router.num_vcs.*cannot parse 'x'"):
            nocsim.run(STUDY, set={"noc.router.num_vcs": "x"})
        with self.assertRaisesRegex(nocsim.Error, "no_such_codec"):
            nocsim.run(STUDY, codec="no_such_codec")


class Plugins(unittest.TestCase):
    """A codec plugin is code that runs as the user: it loads only when allowed, and is recorded."""
    EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(NOCSIM))),
                            "compression", "examples")

    def lib(self, name):
        return os.path.join(self.EXAMPLES, f"lib{name}.so")

    def test_refused_unless_allowed_and_recorded_when_loaded(self):
        os.environ.pop("NOCSIM_ALLOW_PLUGINS", None)
        with tempfile.TemporaryDirectory() as tmp:
            marker = os.path.join(tmp, "constructor_ran")
            os.environ["NOCSIM_TEST_PLUGIN_MARKER"] = marker
            hostile = self.lib("nocsim_constructor_marker_plugin")
            with self.assertRaisesRegex(nocsim.Error, "is not allowed.*--allow-plugin"):
                nocsim.eval(os.path.join(ROOT, "models", "trained", "pd_mlp_p4.pb"),
                            codec=f"@{hostile}+identity")
            with self.assertRaisesRegex(nocsim.Error, "codec.spec: codec plugin .* is not allowed"):
                nocsim.run(STUDY, codec=f"@{hostile}+identity")
            self.assertFalse(os.path.exists(marker))
            example = self.lib("nocsim_example_codec")
            r = nocsim.run(STUDY, codec=f"@{example}+example_binary", allow_plugins=[example])
            plugins = [i for i in r.provenance["inputs"] if i["role"] == "codec.plugin"]
            self.assertEqual([p["path"] for p in plugins], [os.path.realpath(example)])
            with open(example, "rb") as f:
                self.assertEqual(plugins[0]["sha256"], hashlib.sha256(f.read()).hexdigest())
            nocsim.allow_plugin(hostile)
            with self.assertRaisesRegex(nocsim.Error, "is not a nocsim codec plugin"):
                nocsim.run(STUDY, codec=f"@{hostile}+identity")
            self.assertTrue(os.path.exists(marker))


class PythonCodecs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        NumpyFp16.decoder_cost = builtin("fp16")["decoder_cost"]
        nocsim.register_codec("numpy_fp16", NumpyFp16)
        nocsim.register_codec("sign_magnitude", SignMagnitude, "toy symmetric quantizer")

    def test_listed_with_parameters(self):
        c = next(c for c in nocsim.codecs() if c["name"] == "sign_magnitude")
        self.assertEqual(c["params"][0]["name"], "bits")
        self.assertEqual(c["params"][0]["range"], "int in [2, 8]")
        self.assertEqual(c["nominal_bits_per_weight"], 4)

    def test_numpy_fp16_equals_builtin_fp16_in_a_threaded_sweep(self):
        with tempfile.TemporaryDirectory() as tmp:
            sweep = write_sweep(tmp, [("builtin", "fp16"), ("python", "numpy_fp16"),
                                      ("python-huffman", "numpy_fp16+huffman"),
                                      ("builtin-huffman", "fp16+huffman")])
            s = nocsim.sweep(sweep, jobs=2, results=os.path.join(tmp, "r"))
            self.assertEqual(s.failed, 0, s.errors)
            a = {label: r.accelerator for label, r in zip(s.table["codec"], s.results)}
            self.assertTrue(a["python-huffman"]["codec"].startswith("numpy_fp16+huffman"))
            for ours, theirs in [("python", "builtin"), ("python-huffman", "builtin-huffman")]:
                mine = {k: v for k, v in a[ours].items() if k not in ("codec", "wall_seconds")}
                ref = {k: v for k, v in a[theirs].items() if k not in ("codec", "wall_seconds")}
                self.assertEqual(mine, ref, ours)

    def test_parameters_reach_the_codec(self):
        three = nocsim.run(STUDY, codec="sign_magnitude:bits=3").accelerator
        eight = nocsim.run(STUDY, codec="sign_magnitude:bits=8").accelerator
        self.assertLess(three["accuracy"], eight["accuracy"])
        self.assertLess(three["bits_per_weight"], eight["bits_per_weight"] + 1e-9)
        with self.assertRaisesRegex(nocsim.Error, r"params\[bits\]: 9 is out of range"):
            nocsim.run(STUDY, codec="sign_magnitude:bits=9")
        e = nocsim.eval(os.path.join(ROOT, "models", "trained", "pd_mlp_p4.pb"),
                        codec="sign_magnitude:bits=8")
        self.assertGreater(e.codec["accuracy"], e.accuracy - 0.01)
        self.assertEqual(len(e.layers), 3)

    def test_errors_in_python_code_are_reported(self):
        class Broken(SignMagnitude):
            def decode(self, data, n):
                raise RuntimeError("cannot decode this")
        nocsim.register_codec("broken", Broken)
        with self.assertRaisesRegex(nocsim.Error, "Python codec 'broken': .*cannot decode this"):
            nocsim.run(STUDY, codec="broken")
        with self.assertRaisesRegex(nocsim.Error, "built-in"):
            nocsim.register_codec("fp16", NumpyFp16)

        class NoCost:
            bits = 8
            lossless = True
        with self.assertRaisesRegex(nocsim.Error, "codec 'no_cost'.*decoder_cost"):
            nocsim.register_codec("no_cost", NoCost)
        with self.assertRaisesRegex(nocsim.Error, "unknown codec 'no_cost'"):
            nocsim.run(STUDY, codec="no_cost")

    def test_parameter_ranges_must_be_finite_and_hold_the_default(self):
        class Unbounded(SignMagnitude):
            params = {"bits": (4, 2, float("inf"), "bits per weight")}
        with self.assertRaisesRegex(nocsim.Error, "parameter 'bits' needs finite bounds"):
            nocsim.register_codec("unbounded", Unbounded)

        class OutOfRange(SignMagnitude):
            params = {"bits": (12, 2, 8, "bits per weight")}
        # Registration builds the codec with its defaults, so the mistake shows at once.
        with self.assertRaisesRegex(nocsim.Error,
                                    r"params\[bits\]: the codec declares the default 12"):
            nocsim.register_codec("out_of_range", OutOfRange)
        with self.assertRaisesRegex(nocsim.Error, "unknown codec 'out_of_range'"):
            nocsim.run(STUDY, codec="out_of_range")


if __name__ == "__main__":
    unittest.main()
