#include "sweep_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <type_traits>
#include <vector>

#include "skillsim/core/errors.hpp"

namespace skillsim::io {

namespace fs = std::filesystem;

namespace {

constexpr char kFileMagic[8] = {'S', 'K', 'S', 'W', 'E', 'E', 'P', 'J'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::uint32_t kRecordMagic = 0x4e555253; // "SRUN"
// Header: magic, version, reserved, fingerprint, runs.
constexpr std::uint64_t kHeaderBytes = 8 + 4 + 4 + 8 + 8;
// Before each payload: magic, length, checksum.
constexpr std::uint64_t kRecordHeaderBytes = 4 + 8 + 8;

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }
std::string errno_text(int error) { return std::system_category().message(error); }

// ---------------------------------------------------------------------------------------------
// Encoding

class Writer {
public:
  template <class T>
  void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&value);
    bytes_.append(p, sizeof value);
  }
  void put_string(const std::string& s) {
    put<std::uint64_t>(s.size());
    bytes_ += s;
  }
  template <class T>
  void put_vector(const std::vector<T>& values) {
    put<std::uint64_t>(values.size());
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void put_strings(const std::vector<std::string>& values) {
    put<std::uint64_t>(values.size());
    for (const auto& s : values) put_string(s);
  }
  std::string take() { return std::move(bytes_); }

private:
  std::string bytes_;
};

class Reader {
public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <class T>
  T get() {
    T value;
    std::memcpy(&value, take(sizeof value).data(), sizeof value);
    return value;
  }
  std::string get_string() { return std::string(take(count(1))); }
  template <class T>
  std::vector<T> get_vector() {
    const std::size_t n = count(sizeof(T));
    std::vector<T> values(n);
    if (n > 0) std::memcpy(values.data(), take(n * sizeof(T)).data(), n * sizeof(T));
    return values;
  }
  std::vector<std::string> get_strings() {
    const std::size_t n = count(8);
    std::vector<std::string> values;
    values.reserve(n);
    for (std::size_t i = 0; i < n; ++i) values.push_back(get_string());
    return values;
  }
  bool done() const { return at_ == bytes_.size(); }

private:
  // A count of items of `item_bytes` each, checked against what is left (a corrupt count
  // must not allocate terabytes).
  std::size_t count(std::size_t item_bytes) {
    const auto n = get<std::uint64_t>();
    if (n > (bytes_.size() - at_) / item_bytes) throw Error("a count runs past the end of the record");
    return static_cast<std::size_t>(n);
  }
  std::string_view take(std::size_t n) {
    if (n > bytes_.size() - at_) throw Error("the record ends early");
    const std::string_view part = bytes_.substr(at_, n);
    at_ += n;
    return part;
  }
  std::string_view bytes_;
  std::size_t at_ = 0;
};

} // namespace

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash) {
  for (const unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string encode_run_record(std::int64_t run, const Results* results, const std::string& failure) {
  Writer w;
  w.put<std::int64_t>(run);
  w.put<std::uint8_t>(results ? 0 : 1);
  w.put_string(failure);
  if (!results) return w.take();
  w.put<std::uint64_t>(results->dimensions.size());
  for (const Dimension& d : results->dimensions) {
    w.put_string(d.name);
    w.put_vector(d.int_coords);
    w.put_strings(d.labels);
    w.put_strings(d.labels_zh);
    w.put<std::uint64_t>(d.attributes.size());
    for (const auto& [key, value] : d.attributes) {
      w.put_string(key);
      w.put_string(value);
    }
  }
  w.put<std::uint64_t>(results->variables.size());
  for (const Variable& v : results->variables) {
    w.put_string(v.name);
    w.put_strings(v.dims);
    w.put_string(v.units);
    w.put_string(v.long_name);
    w.put<std::uint8_t>(v.is_real ? 1 : 0);
    if (v.is_real)
      w.put_vector(v.real_data);
    else
      w.put_vector(v.data);
  }
  return w.take();
}

RunRecord decode_run_record(std::string_view payload) {
  Reader r(payload);
  RunRecord record;
  record.run = r.get<std::int64_t>();
  const bool failed = r.get<std::uint8_t>() != 0;
  record.failure = r.get_string();
  if (!failed) {
    Results results;
    const auto dims = r.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < dims && !r.done(); ++i) {
      Dimension d;
      d.name = r.get_string();
      d.int_coords = r.get_vector<std::int64_t>();
      d.labels = r.get_strings();
      d.labels_zh = r.get_strings();
      const auto attributes = r.get<std::uint64_t>();
      for (std::uint64_t a = 0; a < attributes; ++a) {
        std::string key = r.get_string();
        d.attributes[key] = r.get_string();
      }
      results.dimensions.push_back(std::move(d));
    }
    const auto variables = r.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < variables; ++i) {
      Variable v;
      v.name = r.get_string();
      v.dims = r.get_strings();
      v.units = r.get_string();
      v.long_name = r.get_string();
      v.is_real = r.get<std::uint8_t>() != 0;
      if (v.is_real)
        v.real_data = r.get_vector<double>();
      else
        v.data = r.get_vector<std::int64_t>();
      results.variables.push_back(std::move(v));
    }
    record.results = std::move(results);
  }
  if (!r.done()) throw Error("the record has bytes after its end");
  return record;
}

// ---------------------------------------------------------------------------------------------
// The journal file

namespace {

// pread/pwrite of exactly n bytes (or fewer at the end of the file, for reads).
std::size_t read_at(int fd, void* buffer, std::size_t n, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd, static_cast<char*>(buffer) + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

bool write_at(int fd, const void* buffer, std::size_t n, std::uint64_t offset) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t put =
        ::pwrite(fd, static_cast<const char*>(buffer) + done, n - done, static_cast<off_t>(offset + done));
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    done += static_cast<std::size_t>(put);
  }
  return true;
}

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t reserved;
  std::uint64_t fingerprint;
  std::int64_t runs;
};
static_assert(sizeof(Header) == kHeaderBytes);

struct RecordHeader {
  std::uint32_t magic;
  std::uint64_t length;
  std::uint64_t checksum;
};

std::optional<RecordHeader> read_record_header(int fd, std::uint64_t offset) {
  char bytes[kRecordHeaderBytes];
  if (read_at(fd, bytes, sizeof bytes, offset) != sizeof bytes) return std::nullopt;
  RecordHeader h{};
  std::memcpy(&h.magic, bytes, 4);
  std::memcpy(&h.length, bytes + 4, 8);
  std::memcpy(&h.checksum, bytes + 12, 8);
  if (h.magic != kRecordMagic) return std::nullopt;
  return h;
}

} // namespace

SweepJournal::SweepJournal(fs::path path, std::uint64_t fingerprint, std::int64_t runs) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    const int error = errno;
    throw ResultsFileError("cannot open the sweep journal " + quoted(path_) + ": " + errno_text(error));
  }
  Header header{};
  const std::size_t got = read_at(fd_, &header, sizeof header, 0);
  if (got == 0) { // new (or created empty by a sweep killed at once)
    std::memcpy(header.magic, kFileMagic, sizeof kFileMagic);
    header.version = kFormatVersion;
    header.fingerprint = fingerprint;
    header.runs = runs;
    if (!write_at(fd_, &header, sizeof header, 0) || ::fdatasync(fd_) != 0) {
      const int error = errno;
      ::close(fd_);
      throw ResultsFileError("cannot write the sweep journal " + quoted(path_) + ": " + errno_text(error));
    }
    end_ = kHeaderBytes;
    return;
  }
  auto refuse = [&](const std::string& why) {
    ::close(fd_);
    fd_ = -1;
    throw ResultsFileError("the sweep journal " + quoted(path_) + " " + why);
  };
  if (got != sizeof header || std::memcmp(header.magic, kFileMagic, sizeof kFileMagic) != 0)
    refuse("is not a skillsim sweep journal; remove it or choose another output file");
  if (header.version != kFormatVersion)
    refuse("has format version " + std::to_string(header.version) + ", this engine reads version " +
           std::to_string(kFormatVersion) + "; remove it to run the sweep afresh");
  if (header.fingerprint != fingerprint || header.runs != runs)
    refuse("belongs to another sweep (a different sweep file, base scenario, --set, replicates, seed or engine "
           "version); remove it to start afresh, or resume with what it was started with");

  // Index the complete records; cut a torn tail off.
  std::uint64_t offset = kHeaderBytes;
  std::vector<char> buffer;
  for (;;) {
    const auto h = read_record_header(fd_, offset);
    if (!h) break;
    buffer.resize(h->length);
    if (read_at(fd_, buffer.data(), buffer.size(), offset + kRecordHeaderBytes) != buffer.size()) break;
    const std::string_view payload(buffer.data(), buffer.size());
    if (fnv1a64(payload) != h->checksum || payload.size() < 9) break;
    std::int64_t run = 0;
    std::memcpy(&run, payload.data(), 8);
    if (run < 0 || run >= runs) break;
    if (!offsets_.count(run) && payload[8] != 0) ++failed_;
    offsets_[run] = offset + kRecordHeaderBytes;
    lengths_[run] = h->length;
    offset += kRecordHeaderBytes + h->length;
  }
  end_ = offset;
  if (::ftruncate(fd_, static_cast<off_t>(end_)) != 0) {
    const int error = errno;
    refuse("cannot be cut back to its last complete record: " + errno_text(error));
  }
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::int64_t> SweepJournal::records_in(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error)) return std::nullopt;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  std::int64_t count = 0;
  for (std::uint64_t offset = kHeaderBytes;; ++count) {
    const auto h = read_record_header(fd, offset);
    if (!h) break;
    offset += kRecordHeaderBytes + h->length;
  }
  ::close(fd);
  return count;
}

void SweepJournal::append(std::int64_t run, std::string_view payload) {
  std::string bytes(kRecordHeaderBytes, '\0');
  const std::uint64_t length = payload.size(), checksum = fnv1a64(payload);
  std::memcpy(bytes.data(), &kRecordMagic, 4);
  std::memcpy(bytes.data() + 4, &length, 8);
  std::memcpy(bytes.data() + 12, &checksum, 8);
  bytes.append(payload);
  if (!write_at(fd_, bytes.data(), bytes.size(), end_) || ::fdatasync(fd_) != 0) {
    const int error = errno;
    throw ResultsFileError("cannot write to the sweep journal " + quoted(path_) + ": " + errno_text(error) +
                           (error == ENOSPC ? "; free some space and resume the sweep with --resume" : ""));
  }
  if (!offsets_.count(run) && payload.size() > 8 && payload[8] != 0) ++failed_;
  offsets_[run] = end_ + kRecordHeaderBytes;
  lengths_[run] = length;
  end_ += bytes.size();
}

RunRecord SweepJournal::read(std::int64_t run) const {
  const auto at = offsets_.find(run);
  if (at == offsets_.end()) throw Error("run " + std::to_string(run) + " is not in the journal " + quoted(path_));
  std::string payload(lengths_.at(run), '\0');
  if (read_at(fd_, payload.data(), payload.size(), at->second) != payload.size())
    throw ResultsFileError("cannot read run " + std::to_string(run + 1) + " from the sweep journal " + quoted(path_));
  try {
    return decode_run_record(payload);
  } catch (const Error& e) {
    throw ResultsFileError("the sweep journal " + quoted(path_) + " has a damaged record for run " +
                           std::to_string(run + 1) + " (" + e.what() + "); remove it and run the sweep afresh");
  }
}

void SweepJournal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ignored;
  fs::remove(path_, ignored);
}

} // namespace skillsim::io
