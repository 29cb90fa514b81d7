#include "sfmon/connectors/file_system.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace sfmon::file_system_test {
namespace {

namespace fs = std::filesystem;

class LocalFileSystemTest : public ::testing::Test {
 protected:
  LocalFileSystemTest() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        fs::temp_directory_path() / ("sfmon-fs-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~LocalFileSystemTest() override { fs::remove_all(dir_); }

  std::string put(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  fs::path dir_;
  LocalFileSystem files_;
};

TEST_F(LocalFileSystemTest, ReadsEveryByteOfAFile) {
  std::string content;
  for (int i = 0; i < 300000; ++i) content += static_cast<char>(i % 251);  // NULs included
  EXPECT_EQ(files_.read_file(put("big.bin", content)), content);
}

TEST_F(LocalFileSystemTest, ReadsAnEmptyFile) {
  EXPECT_EQ(files_.read_file(put("empty.csv", "")), "");
}

TEST_F(LocalFileSystemTest, AMissingFileNamesItsPath) {
  const std::string path = (dir_ / "missing.xml").string();
  try {
    files_.read_file(path);
    FAIL() << "read a missing file";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST_F(LocalFileSystemTest, AFolderIsNoFile) {
  EXPECT_THROW(files_.read_file(dir_.string()), std::runtime_error);
}

}  // namespace
}  // namespace sfmon::file_system_test
