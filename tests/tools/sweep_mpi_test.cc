// A sweep sharded over two MPI ranks (mpirun) must merge into exactly the single-process result;
// a nocsim built without MPI must refuse mpirun, saying why, instead of running every point twice.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/file_text.h"
#include "tests/temp_dir.h"

namespace {

namespace fs = std::filesystem;

using nocsim::testing::slurp;

TEST(SweepMpi, TwoRanksMergeToTheSingleProcessResult) {
  if (std::system("command -v mpirun > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "mpirun not installed (Debian package openmpi-bin)";
  const fs::path dir = nocsim::testing::fresh_temp_dir("sweep_mpi");
  std::ofstream(dir / "base.textproto") << R"(name: "mesh4"
noc { topology { kind: "mesh" k_x: 4 } }
traffic { pattern: "uniform" injection_rate: 0.1 }
sim { seed: 3 warmup_periods: 1 sample_period: 300 max_samples: 3 }
)";
  std::ofstream(dir / "sweep.textproto") << R"(base: "base.textproto"
runner: "traffic"
axes { field: "traffic.injection_rate" values: "0.05" values: "0.2" values: "0.3" }
axes { field: "noc.routing.algorithm" values: "xy" values: "yx" }
)";
  const std::string nocsim = std::string(NOCSIM_BINARY_DIR) + "/tools/nocsim";
  const std::string sweep = (dir / "sweep.textproto").string();
  // OpenMPI refuses root without these; LeakSanitizer would report OpenMPI's own allocations.
  const std::string env =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_plm_rsh_agent= "
      "ASAN_OPTIONS=detect_leaks=0 ";
  const std::string single = env + nocsim + " sweep " + sweep + " -j 1 --results " +
                             (dir / "single").string() + " > " + (dir / "single.log").string() +
                             " 2>&1";
#ifndef NOCSIM_HAVE_MPI
  const std::string refused = env + "mpirun -n 2 --oversubscribe " + nocsim + " sweep " + sweep +
                              " --results " + (dir / "mpi").string() + " > " +
                              (dir / "mpi.log").string() + " 2>&1";
  EXPECT_NE(std::system(refused.c_str()), 0);
  EXPECT_NE(
      slurp(dir / "mpi.log").find("built without MPI; install libopenmpi-dev and reconfigure"),
      std::string::npos)
      << slurp(dir / "mpi.log");
  EXPECT_FALSE(fs::exists(dir / "mpi" / "results.csv"));
  return;
#endif
  ASSERT_EQ(std::system(single.c_str()), 0) << slurp(dir / "single.log");
  const std::string mpi = env + "mpirun -n 2 --oversubscribe " + nocsim + " sweep " + sweep +
                          " --results " + (dir / "mpi").string() + " > " +
                          (dir / "mpi.log").string() + " 2>&1";
  ASSERT_EQ(std::system(mpi.c_str()), 0) << slurp(dir / "mpi.log");
  ASSERT_TRUE(fs::exists(dir / "mpi" / "results.part-0-of-2.csv")) << slurp(dir / "mpi.log");
  ASSERT_TRUE(fs::exists(dir / "mpi" / "results.part-1-of-2.csv"));
  const std::string expected = slurp(dir / "single" / "results.csv");
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '\n'), 7);
  EXPECT_EQ(slurp(dir / "mpi" / "results.csv"), expected);
  EXPECT_EQ(slurp(dir / "mpi" / "results.jsonl"), slurp(dir / "single" / "results.jsonl"));
}

}  // namespace
