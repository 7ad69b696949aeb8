// The filter above the key table: a mode (prefix, substring, regular
// expression), the text, a case switch, a switch to search inside values
// too, the progress of a running search with its Cancel, and the number of
// matches. Typing is debounced; the filter itself runs elsewhere (KeysPage,
// over the engine).
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
  QToolButton* caseToggle() const { return case_; }
  QToolButton* valuesToggle() const { return values_; }
  QToolButton* cancelButton() const { return cancel_; }
  QLabel* matchLabel() const { return matches_; }

  // "1,234 of 10,000 keys", or a pattern error shown in red; `details` goes in its tooltip.
  void setMatchText(const QString& text, const QString& details = {});
  void setError(const QString& error);
  // Progress of a running scan, 0..1000; -1 hides the bar (and its Cancel).
  void setProgress(int permille);

 signals:
  void filterChanged(const bb::KeyFilter& filter);
  // Down was pressed in the filter: focus belongs in the results now.
  void moveToResults();
  // Cancel was pressed while a search runs.
  void cancelRequested();

 protected:
  // Esc clears the filter; Down moves on to the results.
  bool eventFilter(QObject* watched, QEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void changed();
  void updateToggles();
  // The toggles' checked look from the palette's highlight: plain to see in light and dark.
  void restyle();

  QComboBox* mode_;
  QLineEdit* edit_;
  QToolButton* case_;
  QToolButton* values_;
  QToolButton* cancel_;
  QLabel* matches_;
  QProgressBar* progress_;
  QTimer debounce_;
};

}  // namespace bb
