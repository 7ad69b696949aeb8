// A JSON value as a collapsible tree: one row per member or element, with
// its name, type and (for scalars) its value. Read-only.
#pragma once

#include <QAbstractItemModel>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

namespace bb {

class JsonTreeModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { kNameColumn, kValueColumn, kTypeColumn, kColumnCount };
  // JSON Pointer of a row (e.g. "/tags/0"), for copying paths.
  static constexpr int kPointerRole = Qt::UserRole + 1;

  explicit JsonTreeModel(QObject* parent = nullptr);
  ~JsonTreeModel() override;

  // Shows `value` (the root is one row named "(root)"); clear() empties the model.
  void setJson(const nlohmann::ordered_json& value);
  void clear();

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Node {
    QString name;
    QString pointer;
    QString type;
    QString value;  // scalars; "{3}" / "[5]" for containers
    bool isNumberOrBool = false;
    Node* parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
  };
  static std::unique_ptr<Node> build(const nlohmann::ordered_json& j, const QString& name,
                                     const QString& pointer, Node* parent, int row);
  Node* nodeOf(const QModelIndex& index) const;

  std::unique_ptr<Node> root_;  // invisible; its one child is the value
};

}  // namespace bb
