#include "models/dataset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "configs/user_error.h"
#include "test_util.h"
#include "tests/temp_dir.h"

namespace nocsim::models {
namespace {

namespace fs = std::filesystem;

TEST(FashionMnist, Has60000TrainingAnd10000TestImagesOf28x28) {
  const Dataset& train = test_util::fashion_train();
  const Dataset& test = test_util::fashion_test();
  EXPECT_EQ(train.count, 60000);
  EXPECT_EQ(test.count, 10000);
  EXPECT_EQ(test.height, 28);
  EXPECT_EQ(test.width, 28);
  // Ten balanced classes, pixels in [0, 1] with many exact zeros (background).
  std::vector<int> per_class(10, 0);
  for (uint8_t l : test.labels) ++per_class[l];
  for (int c : per_class) EXPECT_EQ(c, 1000);
  int64_t zeros = 0;
  for (float p : test.pixels) {
    ASSERT_GE(p, 0.0f);
    ASSERT_LE(p, 1.0f);
    zeros += p == 0.0f;
  }
  EXPECT_GT(zeros, static_cast<int64_t>(test.pixels.size()) / 5);
}

void expect_user_error_naming(const std::string& dir, const std::string& file) {
  try {
    load_fashion_mnist(dir, Split::kTest);
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(file), std::string::npos) << msg;
    EXPECT_NE(msg.find("apt-get install dataset-fashion-mnist"), std::string::npos) << msg;
    EXPECT_EQ(e.field(), "model.dataset_dir");
  }
}

TEST(FashionMnist, MissingFolderNamesTheFileAndThePackage) {
  expect_user_error_naming("/nonexistent/fashion", "t10k-images-idx3-ubyte.gz");
}

TEST(FashionMnist, CorruptOrTruncatedFilesNameTheFileAndThePackage) {
  const fs::path dir = nocsim::testing::fresh_temp_dir("bad_fashion");
  const fs::path src = kDefaultDatasetDir;
  for (const char* f : {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
    fs::copy_file(src / f, dir / f);
  // Not gzip at all.
  { std::ofstream(dir / "t10k-images-idx3-ubyte.gz", std::ios::trunc) << "garbage"; }
  expect_user_error_naming(dir.string(), "t10k-images-idx3-ubyte.gz");
  // A gzip stream cut in the middle.
  fs::copy_file(src / "t10k-images-idx3-ubyte.gz", dir / "t10k-images-idx3-ubyte.gz",
                fs::copy_options::overwrite_existing);
  fs::resize_file(dir / "t10k-images-idx3-ubyte.gz", 100000);
  expect_user_error_naming(dir.string(), "t10k-images-idx3-ubyte.gz");
  // Images and labels swapped: valid gzip, wrong IDX magic.
  fs::copy_file(src / "t10k-labels-idx1-ubyte.gz", dir / "t10k-images-idx3-ubyte.gz",
                fs::copy_options::overwrite_existing);
  expect_user_error_naming(dir.string(), "t10k-images-idx3-ubyte.gz");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace nocsim::models
