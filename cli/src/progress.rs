//! The one spinner style the command uses for steps that can take long.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A spinner showing `message` and the elapsed time, ticking until finished.
pub fn spinner(message: String) -> ProgressBar {
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.set_message(message);
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}
