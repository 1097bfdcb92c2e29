"""jupyter_kernel_test's conformance suite against the installed Lode kernelspec, with every
attribute set so that no test is skipped."""
import unittest

import jupyter_kernel_test

from kernel_support import SPEC_PREFIX

LOGO = SPEC_PREFIX / "share/jupyter/kernels/lode/logo-64x64.png"


class LodeKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = "lode"
    language_name = "lode"
    file_extension = ".lode"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'eprint("below detection limit")'

    completion_samples = [
        {"text": "elements", "matches": {"elements"}},
        {"text": "epri", "matches": {"eprint"}},
    ]
    complete_code_samples = ["1 + 1", "x = [1, 2]", "fn f(a) { a * 2 }"]
    incomplete_code_samples = ["fn f(a) {", "values = [1, 2,", "if true {\n  print(1)"]
    invalid_code_samples = ["1 +* 2", "x = )"]

    code_page_something = "?print"
    code_generate_error = 'error("no samples in the survey")'
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"Au" + "As"', "result": '"AuAs"'},
    ]
    # Real domain values: a figure (PNG and SVG) and a statistics table (HTML).
    code_display_data = [
        {"code": 'display(summary(synthetic_survey(preset: "small").samples, elements: ["Au", "As"]))',
         "mime": "text/html"},
        {"code": 'display(histogram([0.2, 0.5, 0.9, 0.95, 0.97], bins: 5, thresholds: {A: 0.95}))', "mime": "image/png"},
        {"code": 'display(histogram([0.2, 0.5, 0.9], bins: 3))', "mime": "image/svg+xml"},
        {"code": f'display(image("{LOGO}"))', "mime": "image/png"},
    ]
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6 * 7"
    code_inspect_sample = "idw"
    code_clear_output = "clear_output()"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A variable for the completion sample, defined through the protocol itself.
        cls.kc.execute_interactive('elements = ["Au", "As"]', timeout=15)


if __name__ == "__main__":
    unittest.main()
