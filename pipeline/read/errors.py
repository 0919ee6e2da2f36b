class DeliveryError(Exception):
    """A delivery that cannot be loaded. The message names the file and the problem in Korean
    and English; the CLI and Dagster show it to the analyst instead of a traceback."""

    def __init__(self, file: str, message_ko: str, message_en: str):
        self.file = file
        self.message_ko = message_ko
        self.message_en = message_en
        super().__init__(f"{file}: {message_ko} / {message_en}")
