// HDF5 plumbing shared by the files skillsim writes (results, sweep results, checkpoints):
// owned identifiers, error messages from HDF5's error stack, attributes and datasets, and
// temporary files beside a target that are renamed onto it when complete. Internal to the io
// library (not installed): it includes hdf5.h, which no public header does.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace skillsim::io::hdf5 {

namespace fs = std::filesystem;

/// A failure inside the writer/reader; the public functions prefix it with the path.
class Failure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Owns one HDF5 identifier and closes it with the matching H5?close function.
class Handle {
public:
  using Closer = herr_t (*)(hid_t);

  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  ~Handle() { reset(); }

  hid_t get() const { return id_; }

  /// Closes now and reports whether closing succeeded (closing a file flushes it).
  bool close() {
    if (id_ < 0) return true;
    const herr_t status = closer_(std::exchange(id_, H5I_INVALID_HID));
    return status >= 0;
  }

private:
  void reset() {
    if (id_ >= 0) closer_(std::exchange(id_, H5I_INVALID_HID));
  }

  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Turns off HDF5's automatic error printing while alive; our messages replace it.
class QuietHdf5Errors {
public:
  QuietHdf5Errors() {
    H5Eget_auto2(H5E_DEFAULT, &saved_func_, &saved_data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  QuietHdf5Errors(const QuietHdf5Errors&) = delete;
  QuietHdf5Errors& operator=(const QuietHdf5Errors&) = delete;
  ~QuietHdf5Errors() { H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_); }

private:
  H5E_auto2_t saved_func_ = nullptr;
  void* saved_data_ = nullptr;
};

/// The HDF5 types of a C++ number type: in memory and in the file (little-endian).
template <class T>
struct NumberTypes;
template <>
struct NumberTypes<std::uint8_t> {
  static hid_t memory() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};
template <>
struct NumberTypes<std::uint16_t> {
  static hid_t memory() { return H5T_NATIVE_UINT16; }
  static hid_t file() { return H5T_STD_U16LE; }
};
template <>
struct NumberTypes<std::int16_t> {
  static hid_t memory() { return H5T_NATIVE_INT16; }
  static hid_t file() { return H5T_STD_I16LE; }
};
template <>
struct NumberTypes<std::uint32_t> {
  static hid_t memory() { return H5T_NATIVE_UINT32; }
  static hid_t file() { return H5T_STD_U32LE; }
};
template <>
struct NumberTypes<std::uint64_t> {
  static hid_t memory() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
};
template <>
struct NumberTypes<std::int64_t> {
  static hid_t memory() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};
template <>
struct NumberTypes<std::int32_t> {
  static hid_t memory() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct NumberTypes<double> {
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};

/// A path in single quotes, for messages.
std::string quoted(const fs::path& path);

/// The innermost message on HDF5's error stack (the most specific reason), then clears it.
std::string hdf5_reason();
/// Throws Failure(what + ": " + the HDF5 reason).
[[noreturn]] void fail(const std::string& what);
/// fail(what) if status < 0.
void check(herr_t status, const std::string& what);
/// The identifier owned by a Handle, or fail(what) if it is negative.
Handle checked(hid_t id, Handle::Closer closer, const std::string& what);

Handle make_plist(hid_t cls);
Handle scalar_space();
/// A simple dataspace of these dimensions (scalar when empty).
Handle simple_space(const std::vector<hsize_t>& dims);
/// Variable-length UTF-8 string type: netCDF-4's "string" type; h5py reads it as str.
Handle utf8_string_type();
/// Number of elements of an array of these dimensions.
std::size_t element_count(const std::vector<hsize_t>& dims);

// Attributes
void write_string_attribute(hid_t object, const std::string& name, const std::string& value);
bool has_attribute(hid_t object, const std::string& name);
bool is_string_attribute(hid_t object, const std::string& name);
std::string read_string_attribute(hid_t object, const std::string& name);
/// Reads all strings of an attribute or dataset (`is_attribute` picks H5Aread/H5Dread);
/// handles variable- and fixed-length strings, as other netCDF writers use either.
std::vector<std::string> read_strings(hid_t object, bool is_attribute, const std::string& what);
/// Attribute names in creation order (name order if the file does not track creation order).
std::vector<std::string> attribute_names(hid_t object, const std::string& owner);

/// Writes numbers as an attribute: a scalar when `scalar`, else a 1-D array.
template <class T>
void write_number_attribute(hid_t object, const std::string& name, const std::vector<T>& values, bool scalar) {
  const std::string what = "cannot write attribute '" + name + "'";
  Handle space = scalar ? scalar_space() : simple_space({static_cast<hsize_t>(values.size())});
  Handle attribute = checked(
      H5Acreate2(object, name.c_str(), NumberTypes<T>::file(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  if (!values.empty()) check(H5Awrite(attribute.get(), NumberTypes<T>::memory(), values.data()), what);
}

template <class T>
std::vector<T> read_number_attribute(hid_t object, const std::string& name) {
  const std::string what = "cannot read attribute '" + name + "'";
  Handle attribute = checked(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, what);
  Handle type = checked(H5Aget_type(attribute.get()), H5Tclose, what);
  const H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) throw Failure(what + ": not a number");
  Handle space = checked(H5Aget_space(attribute.get()), H5Sclose, what);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail(what);
  std::vector<T> values(static_cast<std::size_t>(count));
  if (!values.empty()) check(H5Aread(attribute.get(), NumberTypes<T>::memory(), values.data()), what);
  return values;
}

template <class T>
T read_number_scalar(hid_t object, const std::string& name) {
  std::vector<T> values = read_number_attribute<T>(object, name);
  if (values.size() != 1) {
    throw Failure("attribute '" + name + "' should hold one number, not " + std::to_string(values.size()));
  }
  return values.front();
}

// Datasets
Handle create_dataset(hid_t file, const std::string& name, hid_t file_type, const std::vector<hsize_t>& dims,
                      hid_t creation_plist);
/// Dataset creation properties netCDF-4 uses: attribute creation order tracked.
Handle netcdf_dataset_plist();
Handle write_int64_dataset(hid_t file, const std::string& name, const std::vector<hsize_t>& dims,
                           const std::vector<std::int64_t>& data, hid_t creation_plist);
Handle write_double_dataset(hid_t file, const std::string& name, const std::vector<hsize_t>& dims,
                            const std::vector<double>& data, hid_t creation_plist);
Handle write_string_dataset(hid_t file, const std::string& name, const std::vector<std::string>& values);
std::vector<hsize_t> dataset_shape(hid_t dataset, const std::string& name);
H5T_class_t dataset_type_class(hid_t dataset, const std::string& name);
std::vector<std::int64_t> read_int64_dataset(hid_t dataset, const std::string& name);
std::vector<double> read_double_dataset(hid_t dataset, const std::string& name);

// Files
std::string errno_text(int error);
/// The directory a file is in ("." for a bare name).
fs::path directory_of(const fs::path& path);
/// What to do when the OS refuses to create a file, for the reasons a user can act on.
std::string advice_for(int error);
/// Whether a process with this id exists (signal 0 sends nothing; EPERM: it exists, another
/// user's). A zombie counts as running until its parent reaps it.
bool process_running(long pid);
/// Forces the file's data to disk so a rename never exposes an incomplete file.
void sync_file(const fs::path& path);
/// Makes a rename durable; best effort (some file systems refuse fsync on directories).
void sync_directory(const fs::path& directory);

// Temporary files: NAME + ".tmp-" + the writer's process id + "-" + 12 random hex digits.
inline constexpr std::string_view kTemporaryInfix = ".tmp-";
inline constexpr std::size_t kTemporaryHexDigits = 12;

/// The temporary file beside the target (created empty); removed unless committed.
class TemporaryFile {
public:
  explicit TemporaryFile(const fs::path& target);
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  ~TemporaryFile();

  const fs::path& path() const { return path_; }

  /// Renames the temporary file onto `target` (atomically replacing it).
  void commit(const fs::path& target);

private:
  fs::path path_;
  bool committed_ = false;
};

} // namespace skillsim::io::hdf5
