// The filter above the key table: a mode (prefix, substring, regular
// expression), the text, a case switch and the number of matches. Typing is
// debounced; the filter itself runs elsewhere (MainWindow, over the engine).
#pragma once

#include <QTimer>
#include <QWidget>

#include "core/keyfilter.h"

class QComboBox;
class QLineEdit;
class QToolButton;
class QLabel;
class QProgressBar;

namespace bb {

class FilterBar : public QWidget {
  Q_OBJECT

 public:
  explicit FilterBar(QWidget* parent = nullptr);

  KeyFilter filter() const;
  void setFilter(const KeyFilter& filter);
  // Milliseconds between the last key press and filterChanged.
  void setDebounce(int ms) { debounce_.setInterval(ms); }
  QLineEdit* lineEdit() const { return edit_; }

  // "1,234 of 10,000 keys", or a pattern error shown in red.
  void setMatchText(const QString& text);
  void setError(const QString& error);
  // Progress of a running scan, 0..1000; -1 hides the bar.
  void setProgress(int permille);

 signals:
  void filterChanged(const bb::KeyFilter& filter);
  // Down was pressed in the filter: focus belongs in the results now.
  void moveToResults();

 protected:
  // Esc clears the filter; Down moves on to the results.
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void changed();

  QComboBox* mode_;
  QLineEdit* edit_;
  QToolButton* case_;
  QLabel* matches_;
  QProgressBar* progress_;
  QTimer debounce_;
};

}  // namespace bb
