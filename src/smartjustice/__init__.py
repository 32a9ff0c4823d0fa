"""SmartJustice 智慧司法行政平台."""
