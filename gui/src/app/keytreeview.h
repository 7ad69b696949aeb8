// The namespace tree of keys (KeyTreeModel).
#pragma once

#include <QTreeView>

namespace bb {

class KeyTreeView : public QTreeView {
  Q_OBJECT

 public:
  explicit KeyTreeView(QWidget* parent = nullptr);
  void setModel(QAbstractItemModel* model) override;
};

}  // namespace bb
