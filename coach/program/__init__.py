"""Program files: load, validate, and the model the rest of coach plays.

No UI and no speech here: `coach validate` and `coach preview` stand on this
package alone and start fast.
"""

from coach.program.errors import Problem, ProgramError
from coach.program.load import load_program, parse_program
from coach.program.model import Kind, Program, Progress, Raise, Step

__all__ = ["Kind", "Problem", "Program", "ProgramError", "Progress", "Raise", "Step", "load_program", "parse_program"]
