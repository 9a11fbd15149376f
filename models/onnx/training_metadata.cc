#include "models/onnx/training_metadata.h"

#include <cmath>
#include <functional>
#include <map>

#include "configs/user_error.h"

namespace nocsim::models::onnx_import {

namespace {

double number(const std::string& text, const std::string& where) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw UserError(where, "expected a number, got '" + text + "'");
}

}  // namespace

void read_training_metadata(const onnx::ModelProto& model, const std::string& where,
                            config::TrainingRecord& record) {
  using Setter = std::function<void(const std::string& value, const std::string& where)>;
  auto text = [](auto set) -> Setter { return [set](const std::string& v, auto&) { set(v); }; };
  auto real = [](auto set) -> Setter {
    return [set](const std::string& v, const std::string& w) { set(number(v, w)); };
  };
  auto whole = [](double hi, auto set) -> Setter {
    return [hi, set](const std::string& v, const std::string& w) {
      const double x = number(v, w);
      if (x != std::floor(x) || x < 0 || x > hi)
        throw UserError(w, "expected an integer in [0, " +
                               std::to_string(static_cast<int64_t>(hi)) + "], got '" + v + "'");
      set(x);
    };
  };
  config::TrainingRecord& r = record;
  const std::map<std::string, Setter> fields = {
      {"dataset", text([&r](const std::string& v) { r.set_dataset(v); })},
      {"command", text([&r](const std::string& v) { r.set_command(v); })},
      {"optimizer", text([&r](const std::string& v) { r.set_optimizer(v); })},
      {"epochs", whole(1e9, [&r](double x) { r.set_epochs(static_cast<int32_t>(x)); })},
      {"seed", whole(9e15, [&r](double x) { r.set_seed(static_cast<uint64_t>(x)); })},
      {"batch_size", whole(1e9, [&r](double x) { r.set_batch_size(static_cast<int32_t>(x)); })},
      {"threads", whole(1e6, [&r](double x) { r.set_threads(static_cast<int32_t>(x)); })},
      {"learning_rate", real([&r](double x) { r.set_learning_rate(static_cast<float>(x)); })},
      {"train_seconds", real([&r](double x) { r.set_train_seconds(x); })},
      {"final_loss", real([&r](double x) { r.set_final_loss(static_cast<float>(x)); })},
  };
  const std::string prefix = kTrainingMetadataPrefix;
  for (int i = 0; i < model.metadata_props_size(); ++i) {
    const auto& entry = model.metadata_props(i);
    if (entry.key().rfind(prefix, 0) != 0) continue;
    const auto it = fields.find(entry.key().substr(prefix.size()));
    if (it == fields.end()) continue;
    it->second(entry.value(),
               where + ": metadata_props[" + std::to_string(i) + "] '" + entry.key() + "'");
  }
}

}  // namespace nocsim::models::onnx_import
