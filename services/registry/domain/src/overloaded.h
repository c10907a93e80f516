// Overloaded{lambdas…}: one visitor for std::visit made of a lambda per alternative.
#pragma once

namespace crm::registry::internal {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace crm::registry::internal
