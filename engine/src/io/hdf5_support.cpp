#include "hdf5_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <random>
#include <system_error>

namespace skillsim::io::hdf5 {

namespace {

herr_t collect_error(unsigned, const H5E_error2_t* error, void* out) {
  try {
    if (error->desc && *error->desc) static_cast<std::vector<std::string>*>(out)->push_back(error->desc);
  } catch (...) {
    return -1;
  }
  return 0;
}

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* out) {
  try {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  } catch (...) {
    return -1;
  }
  return 0;
}

void reclaim_strings(hid_t memory_type, hid_t space, void* buffer) {
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(memory_type, space, H5P_DEFAULT, buffer);
#else
  H5Dvlen_reclaim(memory_type, space, H5P_DEFAULT, buffer);
#endif
}

} // namespace

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

// ---------------------------------------------------------------------------------------------
// HDF5 plumbing

/// The innermost message on HDF5's error stack (the most specific reason), then clears it.
std::string hdf5_reason() {
  std::vector<std::string> messages;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_error, &messages);
  H5Eclear2(H5E_DEFAULT);
  return messages.empty() ? "HDF5 error" : messages.front();
}

[[noreturn]] void fail(const std::string& what) { throw Failure(what + ": " + hdf5_reason()); }

void check(herr_t status, const std::string& what) {
  if (status < 0) fail(what);
}

Handle checked(hid_t id, Handle::Closer closer, const std::string& what) {
  if (id < 0) fail(what);
  return Handle(id, closer);
}

Handle make_plist(hid_t cls) { return checked(H5Pcreate(cls), H5Pclose, "cannot create a property list"); }

Handle scalar_space() { return checked(H5Screate(H5S_SCALAR), H5Sclose, "cannot create a dataspace"); }

Handle simple_space(const std::vector<hsize_t>& dims) {
  if (dims.empty()) return scalar_space();
  return checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                 "cannot create a dataspace");
}

/// Variable-length UTF-8 string type: netCDF-4's "string" type; h5py reads it as str.
Handle utf8_string_type() {
  Handle type = checked(H5Tcopy(H5T_C_S1), H5Tclose, "cannot create a string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "cannot create a string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot create a string type");
  return type;
}

// ---------------------------------------------------------------------------------------------
// Attributes

void write_string_attribute(hid_t object, const std::string& name, const std::string& value) {
  const std::string what = "cannot write attribute '" + name + "'";
  Handle type = utf8_string_type();
  Handle space = scalar_space();
  Handle attribute =
      checked(H5Acreate2(object, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
  const char* text = value.c_str();
  check(H5Awrite(attribute.get(), type.get(), &text), what);
}

bool has_attribute(hid_t object, const std::string& name) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail("cannot look up attribute '" + name + "'");
  return exists > 0;
}

/// Reads all strings of an attribute or dataset (`is_attribute` picks H5Aread/H5Dread);
/// handles variable- and fixed-length strings, as other netCDF writers use either.
std::vector<std::string> read_strings(hid_t object, bool is_attribute, const std::string& what) {
  Handle file_type = checked(is_attribute ? H5Aget_type(object) : H5Dget_type(object), H5Tclose, what);
  if (H5Tget_class(file_type.get()) != H5T_STRING) throw Failure(what + ": not a string");
  Handle space = checked(is_attribute ? H5Aget_space(object) : H5Dget_space(object), H5Sclose, what);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail(what);
  std::vector<std::string> result;
  if (count == 0) return result;
  result.reserve(static_cast<std::size_t>(count));

  Handle memory_type = checked(H5Tcopy(H5T_C_S1), H5Tclose, what);
  check(H5Tset_cset(memory_type.get(), H5Tget_cset(file_type.get())), what);
  auto read_into = [&](void* buffer) {
    return is_attribute ? H5Aread(object, memory_type.get(), buffer)
                        : H5Dread(object, memory_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
  };

  if (H5Tis_variable_str(file_type.get()) > 0) {
    check(H5Tset_size(memory_type.get(), H5T_VARIABLE), what);
    std::vector<char*> pointers(static_cast<std::size_t>(count), nullptr);
    check(read_into(pointers.data()), what);
    for (const char* p : pointers) result.emplace_back(p ? p : "");
    reclaim_strings(memory_type.get(), space.get(), pointers.data());
  } else {
    const std::size_t width = H5Tget_size(file_type.get());
    if (width == 0) fail(what);
    check(H5Tset_size(memory_type.get(), width), what);
    check(H5Tset_strpad(memory_type.get(), H5T_STR_NULLPAD), what);
    std::vector<char> buffer(width * static_cast<std::size_t>(count), '\0');
    check(read_into(buffer.data()), what);
    const bool space_padded = H5Tget_strpad(file_type.get()) == H5T_STR_SPACEPAD;
    for (std::size_t i = 0; i < static_cast<std::size_t>(count); ++i) {
      std::string text(buffer.data() + i * width, width);
      text.resize(std::min(text.find('\0'), text.size()));
      if (space_padded) text.erase(text.find_last_not_of(' ') + 1);
      result.push_back(std::move(text));
    }
  }
  return result;
}

bool is_string_attribute(hid_t object, const std::string& name) {
  Handle attribute =
      checked(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "cannot open attribute '" + name + "'");
  Handle type = checked(H5Aget_type(attribute.get()), H5Tclose, "cannot read attribute '" + name + "'");
  return H5Tget_class(type.get()) == H5T_STRING;
}

std::string read_string_attribute(hid_t object, const std::string& name) {
  const std::string what = "cannot read attribute '" + name + "'";
  Handle attribute = checked(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, what);
  std::vector<std::string> values = read_strings(attribute.get(), true, what);
  if (values.size() != 1) throw Failure(what + ": expected one string, found " + std::to_string(values.size()));
  return values.front();
}

/// Attribute names in creation order (name order if the file does not track creation order).
std::vector<std::string> attribute_names(hid_t object, const std::string& owner) {
  std::vector<std::string> names;
  hsize_t position = 0;
  if (H5Aiterate2(object, H5_INDEX_CRT_ORDER, H5_ITER_INC, &position, collect_attribute_name, &names) >= 0) {
    return names;
  }
  H5Eclear2(H5E_DEFAULT);
  names.clear();
  position = 0;
  check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &position, collect_attribute_name, &names),
        "cannot list the attributes of " + owner);
  return names;
}

// ---------------------------------------------------------------------------------------------
// Datasets

Handle create_dataset(hid_t file, const std::string& name, hid_t file_type, const std::vector<hsize_t>& dims,
                      hid_t creation_plist) {
  Handle space = simple_space(dims);
  return checked(H5Dcreate2(file, name.c_str(), file_type, space.get(), H5P_DEFAULT, creation_plist, H5P_DEFAULT),
                 H5Dclose, "cannot create dataset '" + name + "'");
}

/// Dataset creation properties netCDF-4 uses: attribute creation order tracked.
Handle netcdf_dataset_plist() {
  Handle plist = make_plist(H5P_DATASET_CREATE);
  check(H5Pset_attr_creation_order(plist.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "cannot set attribute creation order");
  return plist;
}

Handle write_int64_dataset(hid_t file, const std::string& name, const std::vector<hsize_t>& dims,
                           const std::vector<std::int64_t>& data, hid_t creation_plist) {
  Handle dataset = create_dataset(file, name, H5T_STD_I64LE, dims, creation_plist);
  if (!data.empty()) {
    check(H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
          "cannot write dataset '" + name + "'");
  }
  return dataset;
}

Handle write_double_dataset(hid_t file, const std::string& name, const std::vector<hsize_t>& dims,
                            const std::vector<double>& data, hid_t creation_plist) {
  Handle dataset = create_dataset(file, name, H5T_IEEE_F64LE, dims, creation_plist);
  if (!data.empty()) {
    check(H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
          "cannot write dataset '" + name + "'");
  }
  return dataset;
}

Handle write_string_dataset(hid_t file, const std::string& name, const std::vector<std::string>& values) {
  Handle type = utf8_string_type();
  Handle plist = netcdf_dataset_plist();
  Handle dataset = create_dataset(file, name, type.get(), {static_cast<hsize_t>(values.size())}, plist.get());
  if (!values.empty()) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (const auto& value : values) pointers.push_back(value.c_str());
    check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "cannot write dataset '" + name + "'");
  }
  return dataset;
}

std::vector<hsize_t> dataset_shape(hid_t dataset, const std::string& name) {
  Handle space = checked(H5Dget_space(dataset), H5Sclose, "cannot read dataset '" + name + "'");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail("cannot read dataset '" + name + "'");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) {
    fail("cannot read dataset '" + name + "'");
  }
  return dims;
}

H5T_class_t dataset_type_class(hid_t dataset, const std::string& name) {
  Handle type = checked(H5Dget_type(dataset), H5Tclose, "cannot read dataset '" + name + "'");
  return H5Tget_class(type.get());
}

std::vector<std::int64_t> read_int64_dataset(hid_t dataset, const std::string& name) {
  std::size_t count = 1;
  for (hsize_t d : dataset_shape(dataset, name)) count *= static_cast<std::size_t>(d);
  std::vector<std::int64_t> data(count);
  if (count > 0) {
    check(H5Dread(dataset, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
          "cannot read dataset '" + name + "'");
  }
  return data;
}

std::vector<double> read_double_dataset(hid_t dataset, const std::string& name) {
  std::size_t count = 1;
  for (hsize_t d : dataset_shape(dataset, name)) count *= static_cast<std::size_t>(d);
  std::vector<double> data(count);
  if (count > 0) {
    check(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
          "cannot read dataset '" + name + "'");
  }
  return data;
}

// ---------------------------------------------------------------------------------------------
// Writing

std::size_t element_count(const std::vector<hsize_t>& dims) {
  std::size_t count = 1;
  for (hsize_t d : dims) count *= static_cast<std::size_t>(d);
  return count;
}
std::string errno_text(int error) { return std::system_category().message(error); }

fs::path directory_of(const fs::path& path) { return path.parent_path().empty() ? fs::path(".") : path.parent_path(); }

/// What to do when the OS refuses to create a file, for the reasons a user can act on.
std::string advice_for(int error) {
  switch (error) {
  case EACCES:
  case EPERM:
  case EROFS:
    return "; choose a directory you can write to";
  case ENAMETOOLONG:
    return "; choose a shorter file name";
  case ENOSPC:
  case EDQUOT:
    return "; free some space or choose another disk";
  default:
    return "";
  }
}

/// Whether a process with this id exists (signal 0 sends nothing; EPERM: it exists, another
/// user's). A zombie counts as running until its parent reaps it.
bool process_running(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

/// Forces the file's data to disk so the rename never exposes an incomplete file.
void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Failure("cannot open " + quoted(path) + " to sync it: " + errno_text(errno));
  const int status = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (status != 0) throw Failure("cannot sync " + quoted(path) + ": " + errno_text(error));
}

/// Makes the rename durable; best effort (some file systems refuse fsync on directories).
void sync_directory(const fs::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

TemporaryFile::TemporaryFile(const fs::path& target) {
  std::random_device device;
  std::uniform_int_distribution<unsigned long long> distribution;
  for (int attempt = 0;; ++attempt) {
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, "%.*s%ld-%0*llx", static_cast<int>(kTemporaryInfix.size()),
                  kTemporaryInfix.data(), static_cast<long>(::getpid()), static_cast<int>(kTemporaryHexDigits),
                  distribution(device) & 0xffffffffffffULL);
    path_ = target;
    path_ += suffix;
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return;
    }
    const int error = errno;
    if (error != EEXIST || attempt >= 10) {
      throw Failure("cannot create a file in directory " + quoted(directory_of(target)) + " (" + errno_text(error) +
                    ")" + advice_for(error));
    }
  }
}

TemporaryFile::~TemporaryFile() {
  if (!committed_) {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
}

void TemporaryFile::commit(const fs::path& target) {
  std::error_code error;
  fs::rename(path_, target, error);
  if (error) throw Failure("cannot rename " + quoted(path_) + " to " + quoted(target) + ": " + error.message());
  committed_ = true;
}

} // namespace skillsim::io::hdf5
