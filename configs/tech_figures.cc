#include "configs/tech_figures.h"

#include <google/protobuf/descriptor.h>

#include <cmath>

#include "configs/user_error.h"

namespace nocsim {

namespace {

namespace pb = google::protobuf;

// Every number in the message is a figure; reflection keeps the list in the schema only.
template <typename F>
void for_each_figure(const config::TechConfig& tech, F&& f) {
  const pb::Descriptor* d = tech.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* field = d->field(i);
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_DOUBLE) f(field);
  }
}

}  // namespace

void check_tech_figures(const config::TechConfig& tech) {
  const pb::Reflection* refl = tech.GetReflection();
  for_each_figure(tech, [&](const pb::FieldDescriptor* field) {
    if (!refl->HasField(tech, field)) return;
    const double v = refl->GetDouble(tech, field);
    const bool clock = field->name() == "clock_ghz";
    require(std::isfinite(v) && (clock ? v > 0 : v >= 0), "tech." + field->name(),
            std::string(clock ? "must be a finite number of GHz > 0" : "must be finite and >= 0") +
                ", got " + std::to_string(v));
  });
}

std::string missing_tech_figures(const config::TechConfig& tech) {
  const pb::Reflection* refl = tech.GetReflection();
  std::string missing;
  for_each_figure(tech, [&](const pb::FieldDescriptor* field) {
    if (field->name() == "decoder_energy_scale" || refl->HasField(tech, field)) return;
    missing += (missing.empty() ? "" : ", ") + field->name();
  });
  return missing;
}

}  // namespace nocsim
