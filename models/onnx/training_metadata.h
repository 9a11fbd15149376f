#pragma once
// The training record an ONNX file may carry in its metadata_props (keys "nocsim.training.<field>",
// as models/training/train_cnn.py writes them), so that an imported model file says how it was
// trained, like one `nocsim train` wrote. Internal to the importer.
#include <string>

#include "configs/schema/model_file.pb.h"
#include "onnx/onnx.pb.h"

namespace nocsim::models::onnx_import {

inline constexpr const char* kTrainingMetadataPrefix = "nocsim.training.";

// Copies the known keys into `record`; other keys are ignored (ONNX producers add their own).
// A known key with a malformed value is a UserError naming `where`, the entry and the key.
void read_training_metadata(const onnx::ModelProto& model, const std::string& where,
                            config::TrainingRecord& record);

}  // namespace nocsim::models::onnx_import
