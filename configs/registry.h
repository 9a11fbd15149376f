#pragma once
// A name -> factory table for one extension point (routing algorithm, traffic pattern, codec,
// model, mapping). Each extension point owns one instance, defined in its own .cc so that every
// shared library and plugin sees the same table. Implementations add themselves with one line:
//
//   NOCSIM_REGISTER(routing_registry(), OddEven, "odd_even", "Chiu's odd-even turn model
//   (adaptive)");
//
// where the factory is the class's constructor taking the registry's Args.
//
// A name may be registered once. Registration runs during static initialisation, where a thrown
// exception would end the program before main() can print it, so a second registration of a name
// is recorded instead and every later use of the registry (find, names, entries, create) throws a
// std::logic_error naming both registrations: the first command, run or test that touches the
// registry fails with that message.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "configs/user_error.h"

namespace nocsim {

template <class Interface, class... Args>
class Registry {
 public:
  using interface_type = Interface;
  using Factory = std::function<std::unique_ptr<Interface>(Args...)>;
  struct Entry {
    std::string name;
    std::string description;
    Factory make;
  };

  explicit Registry(std::string what) : what_(std::move(what)) {}

  // Returns true so that registration can initialise a namespace-scope constant.
  // A duplicate name keeps the first entry and poisons the registry (see above).
  bool add(std::string name, std::string description, Factory make) {
    if (auto it = entries_.find(name); it != entries_.end()) {
      if (duplicates_.empty())
        duplicates_ = "duplicate registration in the " + what_ + " registry:";
      duplicates_ += " '" + name + "' is registered twice ('" + it->second.description + "' and '" +
                     description + "');";
      return true;
    }
    std::string key = name;
    entries_[key] = Entry{std::move(name), std::move(description), std::move(make)};
    return true;
  }

  const Entry* find(std::string_view name) const {
    check_unique();
    auto it = entries_.find(std::string(name));
    return it == entries_.end() ? nullptr : &it->second;
  }

  std::vector<std::string> names() const {
    check_unique();
    std::vector<std::string> out;
    for (const auto& [k, v] : entries_) out.push_back(k);
    return out;
  }
  const std::map<std::string, Entry>& entries() const {
    check_unique();
    return entries_;
  }

  // Creates the named implementation; an unknown name is a UserError on `field` listing valid
  // names.
  std::unique_ptr<Interface> create(std::string_view name, const std::string& field,
                                    Args... args) const {
    const Entry* e = find(name);
    if (e == nullptr) throw UserError(field, unknown_message(name));
    return e->make(std::forward<Args>(args)...);
  }

  std::string unknown_message(std::string_view name) const {
    std::string msg = "unknown " + what_ + " '" + std::string(name) + "'; valid names: ";
    bool first = true;
    for (const auto& [k, v] : entries_) {
      msg += (first ? "" : ", ") + k;
      first = false;
    }
    return msg;
  }

 private:
  void check_unique() const {
    if (!duplicates_.empty()) {
      throw std::logic_error(duplicates_ + " each name must be registered by exactly one file");
    }
  }

  std::string what_;
  std::map<std::string, Entry> entries_;
  std::string duplicates_;  // empty while every name is registered once
};

}  // namespace nocsim

#define NOCSIM_CONCAT_INNER(a, b) a##b
#define NOCSIM_CONCAT(a, b) NOCSIM_CONCAT_INNER(a, b)
// Registers `Class` (constructible from the registry's Args) under `name`.
#define NOCSIM_REGISTER(registry, Class, name, description)                                       \
  [[maybe_unused]] static const bool NOCSIM_CONCAT(                                               \
      nocsim_registered_, __COUNTER__) = (registry).add(name, description, [](auto&&... args) {   \
    return std::unique_ptr<typename std::remove_reference_t<decltype(registry)>::interface_type>( \
        new Class(std::forward<decltype(args)>(args)...));                                        \
  })
