#include "core/jsontreemodel.h"

namespace bb {

namespace {

QString escapePointer(QString token) {
  token.replace(QLatin1Char('~'), QStringLiteral("~0"));
  token.replace(QLatin1Char('/'), QStringLiteral("~1"));
  return token;
}

QString scalarText(const nlohmann::ordered_json& j) {
  if (j.is_string()) {
    return QString::fromStdString(j.get_ref<const std::string&>());
  }
  return QString::fromStdString(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

JsonTreeModel::JsonTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

JsonTreeModel::~JsonTreeModel() = default;

std::unique_ptr<JsonTreeModel::Node> JsonTreeModel::build(const nlohmann::ordered_json& j,
                                                          const QString& name,
                                                          const QString& pointer, Node* parent,
                                                          int row) {
  auto node = std::make_unique<Node>();
  node->name = name;
  node->pointer = pointer;
  node->parent = parent;
  node->row = row;
  node->type = QString::fromLatin1(j.type_name());
  if (j.is_object()) {
    node->value = QStringLiteral("{%1}").arg(j.size());
    int r = 0;
    for (const auto& [k, v] : j.items()) {
      const QString key = QString::fromStdString(k);
      node->children.push_back(
          build(v, key, pointer + QLatin1Char('/') + escapePointer(key), node.get(), r++));
    }
  } else if (j.is_array()) {
    node->value = QStringLiteral("[%1]").arg(j.size());
    int r = 0;
    for (const auto& v : j) {
      const QString index = QString::number(r);
      node->children.push_back(build(v, index, pointer + QLatin1Char('/') + index, node.get(), r));
      ++r;
    }
  } else {
    node->value = scalarText(j);
    node->isNumberOrBool = j.is_number() || j.is_boolean();
  }
  return node;
}

void JsonTreeModel::setJson(const nlohmann::ordered_json& value) {
  beginResetModel();
  root_ = std::make_unique<Node>();
  root_->children.push_back(build(value, tr("(root)"), QString(), root_.get(), 0));
  endResetModel();
}

void JsonTreeModel::clear() {
  beginResetModel();
  root_.reset();
  endResetModel();
}

JsonTreeModel::Node* JsonTreeModel::nodeOf(const QModelIndex& index) const {
  if (!index.isValid()) return root_.get();
  return static_cast<Node*>(index.internalPointer());
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  Node* p = nodeOf(parent);
  if (!p || row >= int(p->children.size())) return {};
  return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  Node* n = static_cast<Node*>(child.internalPointer());
  Node* p = n->parent;
  if (!p || p == root_.get()) return {};
  return createIndex(p->row, 0, p);
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() && parent.column() != 0) return 0;
  Node* p = nodeOf(parent);
  return p ? int(p->children.size()) : 0;
}

int JsonTreeModel::columnCount(const QModelIndex&) const { return kColumnCount; }

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node* n = static_cast<Node*>(index.internalPointer());
  switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
      switch (index.column()) {
        case kNameColumn:
          return n->name;
        case kValueColumn:
          if (role == Qt::DisplayRole && n->value.size() > 500) {
            return n->value.left(500) + QStringLiteral("…");
          }
          return n->value;
        case kTypeColumn:
          return n->type;
      }
      break;
    case kPointerRole:
      return n->pointer;
  }
  return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kNameColumn:
      return tr("Name");
    case kValueColumn:
      return tr("Value");
    case kTypeColumn:
      return tr("Type");
  }
  return {};
}

}  // namespace bb
