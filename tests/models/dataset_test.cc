#include "models/dataset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "configs/user_error.h"
#include "models/fuzz/dataset_harness.h"
#include "test_util.h"
#include "tests/temp_dir.h"

namespace nocsim::models {
namespace {

namespace fs = std::filesystem;
using fuzz::be32;
using fuzz::gzip;

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

std::string error_of(const std::string& dir) {
  try {
    load_fashion_mnist(dir, Split::kTest);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(FashionMnist, GzipBombIsRefusedAfterTheBytesItsHeaderAllows) {
  // 10 images of 2x2 whose stream goes on with 4 GiB of zeros (4096 gzip members of 1 MiB each, a
  // 4 MB file): it used to be decompressed whole and end in std::bad_alloc, called "corrupt".
  const fs::path dir = nocsim::testing::fresh_temp_dir("gzip_bomb");
  std::ofstream(dir / "t10k-labels-idx1-ubyte.gz", std::ios::binary)
      << gzip(be32(0x801) + be32(10) + std::string(10, '\1'));
  {
    std::ofstream images(dir / "t10k-images-idx3-ubyte.gz", std::ios::binary);
    images << gzip(be32(0x803) + be32(10) + be32(2) + be32(2) + std::string(40, '\7'));
    const std::string member = gzip(std::string(1 << 20, '\0'));
    for (int i = 0; i < 4096; ++i) images << member;
  }
  const std::string err = error_of(dir.string());
  EXPECT_NE(err.find("more data than the header"), std::string::npos) << err;
  // Without the bomb the same files load.
  std::ofstream(dir / "t10k-images-idx3-ubyte.gz", std::ios::binary | std::ios::trunc)
      << gzip(be32(0x803) + be32(10) + be32(2) + be32(2) + std::string(40, '\7'));
  EXPECT_EQ(error_of(dir.string()), "");
}

TEST(FashionMnist, HeaderAskingForMoreThanADataSetMayHoldIsRefusedBeforeReading) {
  const fs::path dir = nocsim::testing::fresh_temp_dir("huge_header");
  std::ofstream(dir / "t10k-labels-idx1-ubyte.gz", std::ios::binary)
      << gzip(be32(0x801) + be32(10) + std::string(10, '\1'));
  std::ofstream(dir / "t10k-images-idx3-ubyte.gz", std::ios::binary)
      << gzip(be32(0x803) + be32(4'000'000'000u) + be32(28) + be32(28));
  const std::string err = error_of(dir.string());
  EXPECT_NE(err.find("ask for more than"), std::string::npos) << err;
}

TEST(FashionMnist, FolderGivenAsAFileIsAnError) {
  const fs::path dir = nocsim::testing::fresh_temp_dir("folder_as_file");
  fs::create_directories(dir / "t10k-images-idx3-ubyte.gz");
  const std::string err = error_of(dir.string());
  EXPECT_NE(err.find("is a folder"), std::string::npos) << err;
}

}  // namespace
}  // namespace nocsim::models
