#include "readable.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "crm/base/field_errors.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace crm::crmctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr size_t kMaxCell = 40;

bool IsDate(const Descriptor* type) { return type->full_name() == "crm.v1.CalendarDate"; }

// Printed as one value: scalars, enums, timestamps and calendar dates.
bool IsAtom(const FieldDescriptor* field) {
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return true;
  const Descriptor* type = field->message_type();
  return type == google::protobuf::Timestamp::descriptor() || IsDate(type);
}

// "TIER_S" → "S": enum values start with their type's name in upper snake case.
std::string EnumText(const google::protobuf::EnumValueDescriptor* value) {
  std::string prefix;
  for (char c : value->type()->name()) {
    if (std::isupper(static_cast<unsigned char>(c)) && !prefix.empty()) prefix += '_';
    prefix += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  prefix += '_';
  const std::string& name = value->name();
  return name.size() > prefix.size() && name.starts_with(prefix) ? name.substr(prefix.size())
                                                                 : name;
}

std::string MessageAtomText(const Message& value) {
  if (value.GetDescriptor() == google::protobuf::Timestamp::descriptor()) {
    return google::protobuf::util::TimeUtil::ToString(
        static_cast<const google::protobuf::Timestamp&>(value));
  }
  const Reflection* reflection = value.GetReflection();
  const Descriptor* type = value.GetDescriptor();
  return absl::StrFormat("%04d-%02d-%02d",
                         reflection->GetInt32(value, type->FindFieldByName("year")),
                         reflection->GetInt32(value, type->FindFieldByName("month")),
                         reflection->GetInt32(value, type->FindFieldByName("day")));
}

// The value of an atom field; `index` picks the element of a repeated one (-1: singular).
std::string AtomText(const Message& message, const FieldDescriptor* field, int index) {
  const Reflection* r = message.GetReflection();
  const bool one = index < 0;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(one ? r->GetInt32(message, field)
                              : r->GetRepeatedInt32(message, field, index));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(one ? r->GetInt64(message, field)
                              : r->GetRepeatedInt64(message, field, index));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(one ? r->GetUInt32(message, field)
                              : r->GetRepeatedUInt32(message, field, index));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(one ? r->GetUInt64(message, field)
                              : r->GetRepeatedUInt64(message, field, index));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(one ? r->GetDouble(message, field)
                              : r->GetRepeatedDouble(message, field, index));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(one ? r->GetFloat(message, field)
                              : r->GetRepeatedFloat(message, field, index));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (one ? r->GetBool(message, field) : r->GetRepeatedBool(message, field, index))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_STRING:
      return one ? r->GetString(message, field) : r->GetRepeatedString(message, field, index);
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumText(one ? r->GetEnum(message, field) : r->GetRepeatedEnum(message, field, index));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageAtomText(one ? r->GetMessage(message, field)
                                 : r->GetRepeatedMessage(message, field, index));
  }
  return "";
}

// A repeated field in one line: its atoms joined, or how many messages it holds.
std::string ListText(const Message& message, const FieldDescriptor* field) {
  const int size = message.GetReflection()->FieldSize(message, field);
  if (!IsAtom(field)) return absl::StrCat("[", size, "]");
  std::vector<std::string> values;
  values.reserve(size);
  for (int i = 0; i < size; ++i) values.push_back(AtomText(message, field, i));
  return absl::StrJoin(values, ", ");
}

// At most kMaxCell characters, cut on a character boundary.
std::string Cell(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (Utf8Length(text) <= kMaxCell) return text;
  size_t characters = 0;
  size_t end = 0;
  while (end < text.size() && characters < kMaxCell - 1) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) ++end;
    ++characters;
  }
  return text.substr(0, end) + "…";
}

std::string Padded(const std::string& text, size_t width) {
  return text + std::string(width - std::min(width, Utf8Length(text)), ' ');
}

// One column of a table: a field of the rows, or a field of a message field of the rows.
struct Column {
  const FieldDescriptor* outer;
  const FieldDescriptor* inner = nullptr;

  std::string Name() const {
    return inner == nullptr ? outer->name() : absl::StrCat(outer->name(), ".", inner->name());
  }
  // Empty when the row does not set it.
  std::string Text(const Message& row) const {
    const Reflection* r = row.GetReflection();
    if (outer->is_repeated()) return r->FieldSize(row, outer) == 0 ? "" : ListText(row, outer);
    if (!r->HasField(row, outer)) return "";
    if (inner == nullptr) return AtomText(row, outer, -1);
    const Message& sub = r->GetMessage(row, outer);
    if (inner->is_repeated()) return "";  // a list in a nested message is left out
    return sub.GetReflection()->HasField(sub, inner) ? AtomText(sub, inner, -1) : "";
  }
};

std::vector<Column> ColumnsOf(const Descriptor* type) {
  std::vector<Column> columns;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->is_repeated() || IsAtom(field)) {
      columns.push_back({field});
      continue;
    }
    const Descriptor* nested = field->message_type();
    for (int j = 0; j < nested->field_count(); ++j) {
      if (!nested->field(j)->is_repeated() && IsAtom(nested->field(j))) {
        columns.push_back({field, nested->field(j)});
      }
    }
  }
  return columns;
}

std::string Table(const std::string& title, const Message& message, const FieldDescriptor* field) {
  const Reflection* reflection = message.GetReflection();
  const int size = reflection->FieldSize(message, field);
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> cells;  // by column, then row
  for (const Column& column : ColumnsOf(field->message_type())) {
    std::vector<std::string> texts;
    bool any = false;
    for (int i = 0; i < size; ++i) {
      texts.push_back(Cell(column.Text(reflection->GetRepeatedMessage(message, field, i))));
      any = any || !texts.back().empty();
    }
    if (!any) continue;
    std::string name = column.Name();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    names.push_back(std::move(name));
    cells.push_back(std::move(texts));
  }
  std::vector<size_t> widths;
  for (size_t c = 0; c < names.size(); ++c) {
    size_t width = Utf8Length(names[c]);
    for (const std::string& text : cells[c]) width = std::max(width, Utf8Length(text));
    widths.push_back(width);
  }
  auto line = [&](auto text_of) {
    std::string out;
    for (size_t c = 0; c < names.size(); ++c) {
      absl::StrAppend(&out, c == 0 ? "" : "  ",
                      c + 1 == names.size() ? text_of(c) : Padded(text_of(c), widths[c]));
    }
    return out + "\n";
  };
  std::string out = absl::StrCat(title, " (", size, ")\n");
  out += line([&](size_t c) { return names[c]; });
  for (int row = 0; row < size; ++row) {
    out += line([&](size_t c) { return cells[c][row]; });
  }
  return out;
}

// Gathers the "path  value" lines and the tables of `message`'s set fields.
void Gather(const Message& message, const std::string& prefix,
            std::vector<std::pair<std::string, std::string>>& lines,
            std::vector<std::string>& tables) {
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = prefix + field->name();
    if (field->is_repeated() && !IsAtom(field)) {
      tables.push_back(Table(path, message, field));
    } else if (field->is_repeated()) {
      lines.emplace_back(path, ListText(message, field));
    } else if (IsAtom(field)) {
      lines.emplace_back(path, AtomText(message, field, -1));
    } else {
      Gather(message.GetReflection()->GetMessage(message, field), path + ".", lines, tables);
    }
  }
}

}  // namespace

std::string Readable(const Message& message) {
  std::vector<std::pair<std::string, std::string>> lines;
  std::vector<std::string> tables;
  Gather(message, "", lines, tables);
  size_t width = 0;
  for (const auto& [path, value] : lines) width = std::max(width, Utf8Length(path));
  std::string out;
  for (const auto& [path, value] : lines)
    absl::StrAppend(&out, Padded(path, width), "  ", value, "\n");
  for (const std::string& table : tables) absl::StrAppend(&out, out.empty() ? "" : "\n", table);
  return out;
}

}  // namespace crm::crmctl
