#include "configs/registry.h"

#include <gtest/gtest.h>

#include "configs/rng.h"

namespace nocsim {
namespace {

struct Shape {
  virtual ~Shape() = default;
  virtual int sides() const = 0;
};
using ShapeRegistry = Registry<Shape, int>;
ShapeRegistry& shapes() {
  static ShapeRegistry r("shape");
  return r;
}
struct Polygon : Shape {
  explicit Polygon(int n) : n(n) {}
  int sides() const override { return n; }
  int n;
};
NOCSIM_REGISTER(shapes(), Polygon, "polygon", "n-sided");

TEST(Registry, CreatesRegisteredImplementationsByName) {
  auto p = shapes().create("polygon", "shape.name", 5);
  EXPECT_EQ(p->sides(), 5);
  EXPECT_EQ(shapes().names(), std::vector<std::string>{"polygon"});
}

TEST(Registry, UnknownNameIsAUserErrorOnTheFieldListingValidNames) {
  try {
    shapes().create("circle", "shape.name", 0);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "shape.name");
    EXPECT_NE(e.reason().find("unknown shape 'circle'; valid names: polygon"), std::string::npos);
  }
}

TEST(Registry, ADuplicateNameMakesEveryLaterUseThrowNamingBothRegistrations) {
  ShapeRegistry r("shape");
  r.add("square", "four sides", [](int) { return std::make_unique<Polygon>(4); });
  r.add("square", "also four sides", [](int) { return std::make_unique<Polygon>(4); });
  auto expect_refused = [](auto&& use) {
    try {
      use();
      FAIL() << "a registry with a duplicate name was usable";
    } catch (const std::logic_error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("'square' is registered twice"), std::string::npos) << what;
      EXPECT_NE(what.find("'four sides' and 'also four sides'"), std::string::npos) << what;
      EXPECT_NE(what.find("shape registry"), std::string::npos) << what;
    }
  };
  expect_refused([&] { r.names(); });
  expect_refused([&] { r.entries(); });
  expect_refused([&] { r.find("square"); });
  expect_refused([&] { r.create("square", "shape.name", 0); });
}

TEST(Registry, DistinctNamesStayUsable) {
  ShapeRegistry r("shape");
  r.add("square", "four sides", [](int) { return std::make_unique<Polygon>(4); });
  r.add("triangle", "three sides", [](int) { return std::make_unique<Polygon>(3); });
  EXPECT_EQ(r.names(), (std::vector<std::string>{"square", "triangle"}));
  EXPECT_EQ(r.create("triangle", "shape.name", 0)->sides(), 3);
}

TEST(Rng, SameSeedSameStreamDifferentSeedDifferentStream) {
  Rng a(42), b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  EXPECT_NE(Rng(1).next(), Rng(2).next());
  EXPECT_NE(Rng::derive(7, 0).next(), Rng::derive(7, 1).next());
}

TEST(Rng, UniformAndBelowStayInRangeWithTheRightMean) {
  Rng r(3);
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    ASSERT_LT(r.below(7), 7u);
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
}

}  // namespace
}  // namespace nocsim
